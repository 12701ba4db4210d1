using System.Globalization;
using System.Text.Json.Nodes;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>
/// API Gateway usage plans over REST-JSON, backed by the twin's per-client limits (<see cref="IClientThrottler"/>). Each
/// region's API (stage <c>prod</c>) has a default plan (the twin's per-client limit) and a restricted one (a quarter of
/// it); every client's API key starts in the default plan. As in API Gateway a key belongs to one plan per stage, so a
/// key moves by DeleteUsagePlanKey from one plan and CreateUsagePlanKey into the other; the twin limits a client while
/// its key is in the restricted plan, and restores its usual limit when it leaves it. GetApiKeys lists the keys.
/// </summary>
internal sealed class ApiGatewayService : IServedService
{
    private const int DefaultPageSize = 25;
    private static readonly WireDialect Dialect = new(WireProtocol.RestJson);

    private readonly IClientThrottler _throttler;
    private readonly EstateTwin _twin;
    private readonly double _defaultRate;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Region, string Client), Plan> _membership = [];

    public ApiGatewayService(EstateTopology estate, IClientThrottler throttler, EstateTwin twin, Microsoft.Extensions.Options.IOptions<SimulationOptions> options)
    {
        _throttler = throttler;
        _twin = twin;
        _defaultRate = options.Value.ClientRateLimitRequestsPerSecond;
        foreach (var region in estate.Regions)
        {
            foreach (var client in TwinIdentifiers.Clients)
            {
                _membership[(region.Code, client)] = Plan.Default;
            }
        }
    }

    private enum Plan
    {
        None,
        Default,
        Restricted,
    }

    public string SigningName => "apigateway";

    /// <summary>A client's rate limit in the restricted plan.</summary>
    public double RestrictedRate => _defaultRate / 4;

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        if (_twin.IsRegionDown(call.Region))
        {
            throw new AwsErrorException(503, "ServiceUnavailableException", "The service is unavailable in this region.");
        }

        var ct = call.Http.RequestAborted;
        var (answer, status) = (call.Method, call.Segments("/")) switch
        {
            ("GET", ["usageplans", var plan]) => (UsagePlan(call.Region, PlanOf(plan, call.Region)), 200),
            ("GET", ["usageplans", var plan, "keys"]) => (Keys(call, PlanOf(plan, call.Region)), 200),
            ("POST", ["usageplans", var plan, "keys"]) => (await AddKeyAsync(call, PlanOf(plan, call.Region), ct), 201),
            ("DELETE", ["usageplans", var plan, "keys", var key]) => (await RemoveKeyAsync(call.Region, PlanOf(plan, call.Region), key, ct), 202),
            ("GET", ["apikeys"]) => (ApiKeys(call), 200),
            _ => throw call.UnknownOperation(),
        };
        if (answer is null)
        {
            call.Http.Response.StatusCode = status;
            call.Http.Response.Headers["x-amzn-RequestId"] = AwsWire.NextRequestId();
            return;
        }

        await call.JsonAsync(answer, status);
    }

    private static Plan PlanOf(string id, string region) =>
        id == TwinIdentifiers.DefaultUsagePlanId(region) ? Plan.Default
        : id == TwinIdentifiers.RestrictedUsagePlanId(region) ? Plan.Restricted
        : throw AwsErrorException.NotFound("NotFoundException", $"Invalid Usage Plan ID specified: {id} is no usage plan of {region}.");

    private JsonObject UsagePlan(string region, Plan plan)
    {
        var rate = plan == Plan.Restricted ? RestrictedRate : _defaultRate;
        return new JsonObject
        {
            ["id"] = PlanId(region, plan),
            ["name"] = $"aworld-{(plan == Plan.Restricted ? "restricted" : "default")}-{region}",
            ["description"] = plan == Plan.Restricted ? "Clients throttled by the countermeasure ladder" : "Every client of the API",
            ["apiStages"] = new JsonArray(new JsonObject { ["apiId"] = TwinIdentifiers.RestApiId(region), ["stage"] = TwinIdentifiers.Stage }),
            ["throttle"] = new JsonObject { ["burstLimit"] = (int)Math.Ceiling(rate * 2), ["rateLimit"] = rate },
            ["tags"] = new JsonObject(),
        };
    }

    private JsonObject Keys(AwsCall call, Plan plan)
    {
        var name = call.Query("name");
        List<string> clients;
        lock (_gate)
        {
            clients = [.. TwinIdentifiers.Clients.Where(c => _membership[(call.Region, c)] == plan && (name is null || c.StartsWith(name, StringComparison.Ordinal)))];
        }

        return Page(call, clients, c => Key(call.Region, c));
    }

    private static JsonObject ApiKeys(AwsCall call)
    {
        var name = call.Query("name");
        var values = string.Equals(call.Query("includeValues"), "true", StringComparison.OrdinalIgnoreCase);
        var clients = TwinIdentifiers.Clients.Where(c => name is null || c.StartsWith(name, StringComparison.Ordinal)).ToList();
        return Page(call, clients, c =>
        {
            var key = new JsonObject
            {
                ["id"] = TwinIdentifiers.ApiKeyId(call.Region, c),
                ["name"] = c,
                ["enabled"] = true,
                ["stageKeys"] = new JsonArray($"{TwinIdentifiers.RestApiId(call.Region)}/{TwinIdentifiers.Stage}"),
            };
            if (values)
            {
                key["value"] = TwinIdentifiers.ApiKeyValue(call.Region, c);
            }

            return key;
        });
    }

    private static JsonObject Page(AwsCall call, List<string> clients, Func<string, JsonObject> item)
    {
        var limit = int.TryParse(call.Query("limit"), CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 500 ? l : DefaultPageSize;
        var skip = int.TryParse(call.Query("position"), CultureInfo.InvariantCulture, out var p) && p >= 0 ? p : 0;
        var page = clients.Skip(skip).Take(limit).ToList();
        var answer = new JsonObject { ["item"] = new JsonArray([.. page.Select(item)]) };
        if (skip + page.Count < clients.Count)
        {
            answer["position"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return answer;
    }

    private async Task<JsonObject> AddKeyAsync(AwsCall call, Plan plan, CancellationToken ct)
    {
        var body = AwsWire.ParseJson(call.Body);
        var keyType = body.Required("keyType", "BadRequestException");
        if (keyType != "API_KEY")
        {
            throw AwsErrorException.BadRequest("BadRequestException", $"Invalid key type {keyType}: use API_KEY.");
        }

        var client = Client(call.Region, body.Required("keyId", "BadRequestException"));
        lock (_gate)
        {
            if (_membership[(call.Region, client)] != Plan.None)
            {
                throw new AwsErrorException(409, "ConflictException",
                    $"Usage Plan {PlanId(call.Region, plan)} cannot be added because API Key {TwinIdentifiers.ApiKeyId(call.Region, client)} cannot reference multiple Usage Plans with the same API Stage: {TwinIdentifiers.RestApiId(call.Region)}:{TwinIdentifiers.Stage}");
            }

            _membership[(call.Region, client)] = plan;
        }

        await _throttler.SetClientLimitAsync(call.Region, client, plan == Plan.Restricted ? RestrictedRate : null, ct);
        return Key(call.Region, client);
    }

    private async Task<JsonObject?> RemoveKeyAsync(string region, Plan plan, string keyId, CancellationToken ct)
    {
        var client = Client(region, keyId);
        lock (_gate)
        {
            if (_membership[(region, client)] != plan)
            {
                throw AwsErrorException.NotFound("NotFoundException", $"Invalid Usage Plan Key: API Key {keyId} is not in usage plan {PlanId(region, plan)}.");
            }

            _membership[(region, client)] = Plan.None;
        }

        // A key in no plan keeps the API's default limit in the twin (it has no notion of a key without a plan).
        if (plan == Plan.Restricted)
        {
            await _throttler.SetClientLimitAsync(region, client, null, ct);
        }

        return null;
    }

    private static string Client(string region, string keyId) =>
        TwinIdentifiers.Clients.FirstOrDefault(c => TwinIdentifiers.ApiKeyId(region, c) == keyId)
        ?? throw AwsErrorException.NotFound("NotFoundException", $"Invalid API Key identifier specified: {keyId} is no API key of {region}.");

    private static JsonObject Key(string region, string client) => new()
    {
        ["id"] = TwinIdentifiers.ApiKeyId(region, client),
        ["type"] = "API_KEY",
        ["value"] = TwinIdentifiers.ApiKeyValue(region, client),
        ["name"] = client,
    };

    private static string PlanId(string region, Plan plan) =>
        plan == Plan.Restricted ? TwinIdentifiers.RestrictedUsagePlanId(region) : TwinIdentifiers.DefaultUsagePlanId(region);
}
