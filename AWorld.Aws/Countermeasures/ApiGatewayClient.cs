using System.Text.Json.Serialization;
using AWorld.Aws.Http;
using AWorld.Core.Estate;

namespace AWorld.Aws.Countermeasures;

/// <summary>An API Gateway usage plan: its plan-wide throttle and the API stages it covers.</summary>
public sealed record UsagePlan
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    /// <summary>Requests a second (steady rate) and burst for each key of the plan; null when the plan sets none.</summary>
    public ThrottleSettings? Throttle { get; init; }

    public IReadOnlyList<ApiStage>? ApiStages { get; init; }

    public bool Covers(string restApiId, string stage) => ApiStages?.Any(s => s.ApiId == restApiId && s.Stage == stage) == true;
}

public sealed record ThrottleSettings(double? RateLimit, int? BurstLimit);

public sealed record ApiStage(string ApiId, string Stage);

/// <summary>An API key as a member of a usage plan (<c>type</c> is <c>API_KEY</c>).</summary>
public sealed record UsagePlanKey(string Id, string? Type, string? Name);

public sealed record ApiKey(string Id, string? Name, bool Enabled);

/// <summary>
/// The few API Gateway (REST APIs, v1) calls that per-client throttling needs, over REST-JSON signed for
/// <c>apigateway</c>, with <c>Accept: application/json</c> (without it API Gateway answers in HAL). Lists follow every
/// <c>position</c> page, 500 items a page. Errors are <see cref="EstateServiceException"/>s with AWS's code
/// (<c>NotFoundException</c>, <c>ConflictException</c>, <c>TooManyRequestsException</c>...).
/// </summary>
/// <remarks>Thread-safe; stateless over <see cref="AwsHttp"/>.</remarks>
public sealed class ApiGatewayClient(AwsHttp http)
{
    private const int PageSize = 500;

    public async Task<UsagePlan> GetUsagePlanAsync(string region, string usagePlanId, CancellationToken cancellationToken) =>
        await RestJson.ReadAsync<UsagePlan>(await http.SendAsync(Call(region, "apigateway:GET", AwsPurpose.Read, HttpMethod.Get, $"usageplans/{RestJson.Label(usagePlanId)}"), cancellationToken), cancellationToken);

    /// <summary>Every key of a plan; <paramref name="nameQuery"/> narrows them to names starting with it (API Gateway's filter).</summary>
    public Task<IReadOnlyList<UsagePlanKey>> GetUsagePlanKeysAsync(string region, string usagePlanId, string? nameQuery, CancellationToken cancellationToken) =>
        AllPagesAsync<UsagePlanKey>(region, $"usageplans/{RestJson.Label(usagePlanId)}/keys", nameQuery, cancellationToken);

    /// <summary>API keys whose names start with <paramref name="nameQuery"/> (all when null), without their secret values.</summary>
    public Task<IReadOnlyList<ApiKey>> GetApiKeysAsync(string region, string? nameQuery, CancellationToken cancellationToken) =>
        AllPagesAsync<ApiKey>(region, "apikeys", nameQuery, cancellationToken);

    public async Task<UsagePlanKey> CreateUsagePlanKeyAsync(string region, string usagePlanId, string keyId, CancellationToken cancellationToken) =>
        await RestJson.ReadAsync<UsagePlanKey>(await http.SendAsync(CreateUsagePlanKeyCall(region, usagePlanId, keyId), cancellationToken), cancellationToken);

    public async Task DeleteUsagePlanKeyAsync(string region, string usagePlanId, string keyId, CancellationToken cancellationToken) =>
        (await http.SendAsync(DeleteUsagePlanKeyCall(region, usagePlanId, keyId), cancellationToken)).Dispose();

    /// <summary>
    /// Moves an API key from one usage plan to another. API Gateway lets a key be in one plan per API stage, so the key
    /// leaves <paramref name="fromPlanId"/> first (its requests are refused in the moment between the two calls) and
    /// joins <paramref name="toPlanId"/> second; if joining fails, it is put back where it was. A retried call that had
    /// already succeeded counts as done. With writes off, one dry run shows both requests. <paramref name="fromPlanId"/>
    /// is the plan the key is in now, null when it is in none.
    /// </summary>
    /// <exception cref="EstateServiceException">API Gateway refused; the message says whether the key was put back.</exception>
    public async Task MoveUsagePlanKeyAsync(string region, string keyId, string? fromPlanId, string toPlanId, CancellationToken cancellationToken)
    {
        var join = CreateUsagePlanKeyCall(region, toPlanId, keyId);
        await http.ThrowIfDryRunAsync(fromPlanId is null ? [join] : [DeleteUsagePlanKeyCall(region, fromPlanId, keyId), join], cancellationToken);
        if (fromPlanId is not null)
        {
            await LeaveAsync(region, fromPlanId, keyId, cancellationToken);
        }

        try
        {
            await JoinAsync(region, toPlanId, keyId, cancellationToken);
        }
        catch (EstateServiceException joinFailed) when (fromPlanId is not null)
        {
            try
            {
                await JoinAsync(region, fromPlanId, keyId, cancellationToken);
            }
            catch (EstateServiceException backFailed)
            {
                throw new EstateServiceException(joinFailed.Service, region, joinFailed.ErrorCode,
                    $"{joinFailed.Message} Putting key {keyId} back into usage plan {fromPlanId} failed too ({backFailed.ErrorCode}: {backFailed.Message}): the key is in no usage plan and its client is refused. Add it back: aws apigateway create-usage-plan-key --region {region} --usage-plan-id {fromPlanId} --key-id {keyId} --key-type API_KEY");
            }

            throw new EstateServiceException(joinFailed.Service, region, joinFailed.ErrorCode, $"{joinFailed.Message} Key {keyId} was put back into usage plan {fromPlanId}.");
        }
    }

    internal static AwsCall CreateUsagePlanKeyCall(string region, string usagePlanId, string keyId) =>
        Call(region, "apigateway:POST", AwsPurpose.Write, HttpMethod.Post, $"usageplans/{RestJson.Label(usagePlanId)}/keys", body: new { keyId, keyType = "API_KEY" });

    internal static AwsCall DeleteUsagePlanKeyCall(string region, string usagePlanId, string keyId) =>
        Call(region, "apigateway:DELETE", AwsPurpose.Write, HttpMethod.Delete, $"usageplans/{RestJson.Label(usagePlanId)}/keys/{RestJson.Label(keyId)}");

    private async Task LeaveAsync(string region, string usagePlanId, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteUsagePlanKeyAsync(region, usagePlanId, keyId, cancellationToken);
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "NotFoundException")
        {
            // Not in the plan (any more: an attempt that timed out may have removed it).
        }
    }

    private async Task JoinAsync(string region, string usagePlanId, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            await CreateUsagePlanKeyAsync(region, usagePlanId, keyId, cancellationToken);
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "ConflictException")
        {
            // Already in the plan (an attempt that timed out had added it) is done; any other conflict is not.
            if (!(await GetUsagePlanKeysAsync(region, usagePlanId, null, cancellationToken)).Any(k => k.Id == keyId))
            {
                throw;
            }
        }
    }

    private async Task<IReadOnlyList<T>> AllPagesAsync<T>(string region, string path, string? nameQuery, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? position = null;
        // Bounded: API Gateway allows 10,000 API keys an account and region, 20 pages of 500.
        for (var page = 0; page < 100; page++)
        {
            var query = new List<(string, string?)> { ("position", position), ("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("name", nameQuery) };
            var result = await RestJson.ReadAsync<Page<T>>(await http.SendAsync(Call(region, "apigateway:GET", AwsPurpose.Read, HttpMethod.Get, path, query), cancellationToken), cancellationToken);
            items.AddRange(result.Item ?? []);
            if (string.IsNullOrEmpty(result.Position) || result.Position == position)
            {
                return items;
            }

            position = result.Position;
        }

        throw new EstateServiceException(AwsServices.DisplayName(AwsService.ApiGateway), region, "TooManyPages", $"GET {path} returned more than 100 pages of {PageSize}; the console stops there.");
    }

    private static AwsCall Call(string region, string action, AwsPurpose purpose, HttpMethod method, string path, IEnumerable<(string, string?)>? query = null, object? body = null) =>
        new(AwsService.ApiGateway, region, action, purpose, endpoint =>
        {
            var request = RestJson.Request(method, endpoint, path, query, body);
            request.Headers.Accept.ParseAdd("application/json");
            return request;
        });

    /// <summary>A page of a list: API Gateway names the list <c>item</c> on the wire.</summary>
    private sealed record Page<T>([property: JsonPropertyName("item")] IReadOnlyList<T>? Item, string? Position);
}
