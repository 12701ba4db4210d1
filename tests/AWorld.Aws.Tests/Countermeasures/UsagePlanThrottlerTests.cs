using AWorld.Aws.Countermeasures;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Aws.Tests.Countermeasures;

/// <summary>Per-client throttling against moto's API Gateway (usage plans, API keys), client rates from a fake CloudWatch.</summary>
[Collection(MotoCollection.Name)]
public sealed class UsagePlanThrottlerTests(MotoServer moto) : IAsyncLifetime
{
    private const string Region = "eu-west-1";
    private static readonly string[] Clients = ["tenant-01", "tenant-02", "tenant-03"];

    // 12:00:30 UTC: the windows end at the minute's start, 12:00:00.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 30, TimeSpan.Zero));
    private readonly ScriptedCloudWatchSeries _metrics = new();
    private MotoApi _api = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _api = await MotoAccount.CreateApiAsync(moto.Endpoint, Region, Clients);
        // Usual rates 1, 2 and 1 req/s (60, 120, 60 requests a minute); tenant-03 storms at 40 req/s in the last 5 minutes.
        var stormFrom = new DateTimeOffset(2026, 3, 2, 11, 55, 0, TimeSpan.Zero);
        _metrics.Set("tenant-01", _ => 60);
        _metrics.Set("tenant-02", _ => 120);
        _metrics.Set("tenant-03", at => at >= stormFrom ? 2400 : 60);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TopClients_RateNowAgainstUsualRate_LimitFromTheirPlan()
    {
        var throttler = Throttler(moto.Options());

        var clients = await throttler.TopClientsAsync(Region, 2, default);

        Assert.Equal(
            [new ClientRate("tenant-03", 40, 1, 100, false), new ClientRate("tenant-02", 2, 2, 100, false)],
            clients);
        var call = Assert.Single(_metrics.Calls);
        Assert.Equal(Region, call.Region);
        // Baseline hour before the 5-minute rate window, whole minutes, ending at the current minute's start.
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 55, 0, TimeSpan.Zero), call.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero), call.End);
        var query = call.Queries.Single(q => q.MetricStat.Dimensions.Any(d => d.Value == "tenant-03"));
        Assert.Equal(("AWorld/Clients", "Requests", 60, "Sum"), (query.MetricStat.Namespace, query.MetricStat.MetricName, query.MetricStat.PeriodSeconds, query.MetricStat.Stat));
        Assert.Equal([new("ApiName", "aworld-api"), new("Client", "tenant-03"), new("Region", Region)], query.MetricStat.Dimensions.AsEnumerable());
    }

    [Fact]
    public async Task SetClientLimit_MovesTheKeyToTheRestrictedPlan_AndNullMovesItBack()
    {
        var throttler = Throttler(moto.Options());

        await throttler.SetClientLimitAsync(Region, "tenant-03", 2, default);

        Assert.Equal(["tenant-03"], await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.RestrictedPlanId));
        Assert.Equal(["tenant-01", "tenant-02"], await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.DefaultPlanId));
        var reduced = (await throttler.TopClientsAsync(Region, 5, default)).Single(c => c.Client == "tenant-03");
        Assert.True(reduced.Reduced);
        Assert.Equal(5, reduced.LimitRequestsPerSecond);

        await throttler.SetClientLimitAsync(Region, "tenant-03", null, default);

        Assert.Empty(await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.RestrictedPlanId));
        Assert.Equal(Clients, await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.DefaultPlanId));
        var restored = (await throttler.TopClientsAsync(Region, 5, default)).Single(c => c.Client == "tenant-03");
        Assert.False(restored.Reduced);
        Assert.Equal(100, restored.LimitRequestsPerSecond);
    }

    [Fact]
    public async Task SetClientLimit_AlreadyThere_SendsNoWrite()
    {
        var options = moto.Options(allowWrites: false);
        var throttler = Throttler(options);

        // Writes are off, so a move would throw the dry run: restoring a client in its default plan moves nothing.
        await throttler.SetClientLimitAsync(Region, "tenant-01", null, default);

        Assert.Equal(Clients, await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.DefaultPlanId));
    }

    [Fact]
    public async Task SetClientLimit_WithWritesOff_ThrowsTheDryRunWithBothRequests_AndNothingChanges()
    {
        var throttler = Throttler(moto.Options(allowWrites: false));

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => throttler.SetClientLimitAsync(Region, "tenant-03", 2, default));

        Assert.Equal(AwsHttp.DryRunCode, ex.ErrorCode);
        var key = _api.KeyIds["tenant-03"];
        Assert.Contains($"1) DELETE {moto.Endpoint}usageplans/{_api.DefaultPlanId}/keys/{key}; 2) POST {moto.Endpoint}usageplans/{_api.RestrictedPlanId}/keys {{\"keyId\":\"{key}\",\"keyType\":\"API_KEY\"}}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Clients, await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.DefaultPlanId));
        Assert.Empty(await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.RestrictedPlanId));
    }

    [Fact]
    public async Task SetClientLimit_RestrictedPlanNotCoveringTheStage_IsRefused_AndTheKeyStays()
    {
        var throttler = Throttler(moto.Options(), o => o.RestrictedUsagePlanId = _api.UncoveredPlanId);

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => throttler.SetClientLimitAsync(Region, "tenant-03", 2, default));

        Assert.Equal(CountermeasureErrors.Refused, ex.ErrorCode);
        Assert.Contains($"does not cover API {_api.RestApiId} stage prod", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Clients, await MotoAccount.PlanKeyNamesAsync(moto.Endpoint, Region, _api.DefaultPlanId));
    }

    [Fact]
    public async Task SetClientLimit_ClientWithoutAnApiKey_IsClientNotFound()
    {
        var throttler = Throttler(moto.Options());

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => throttler.SetClientLimitAsync(Region, "tenant-0", 2, default));

        Assert.Equal(CountermeasureErrors.ClientNotFound, ex.ErrorCode);
    }

    [Fact]
    public async Task TopClients_ReusesItsReadingWithinTheRefreshInterval()
    {
        var throttler = Throttler(moto.Options());

        await throttler.TopClientsAsync(Region, 5, default);
        _time.Advance(TimeSpan.FromSeconds(59));
        await throttler.TopClientsAsync(Region, 5, default);
        Assert.Single(_metrics.Calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        await throttler.TopClientsAsync(Region, 5, default);
        Assert.Equal(2, _metrics.Calls.Count);
    }

    [Fact]
    public async Task TopClients_RegionWithoutThrottling_HasNoClients_AndReadsNothing()
    {
        var throttler = Throttler(moto.Options());

        Assert.Empty(await throttler.TopClientsAsync("eu-central-1", 5, default));
        Assert.Empty(_metrics.Calls);
        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => throttler.SetClientLimitAsync("eu-central-1", "tenant-01", 2, default));
        Assert.Equal(CountermeasureErrors.NotConfigured, ex.ErrorCode);
    }

    [Fact]
    public async Task ApiGatewayClient_ReadsPlansKeysAndApiKeys()
    {
        var client = new ApiGatewayClient(TestAws.Http(moto.Options()));

        var plan = await client.GetUsagePlanAsync(Region, _api.DefaultPlanId, default);
        var keys = await client.GetUsagePlanKeysAsync(Region, _api.DefaultPlanId, null, default);
        var apiKeys = await client.GetApiKeysAsync(Region, "tenant-02", default);

        Assert.Equal(("default", 100d, 200), (plan.Name, plan.Throttle!.RateLimit, plan.Throttle.BurstLimit));
        Assert.True(plan.Covers(_api.RestApiId, "prod"));
        Assert.Equal(Clients.Select(c => $"{_api.KeyIds[c]} API_KEY {c}"), keys.OrderBy(k => k.Name, StringComparer.Ordinal).Select(k => $"{k.Id} {k.Type} {k.Name}"));
        Assert.Equal(new ApiKey(_api.KeyIds["tenant-02"], "tenant-02", true), Assert.Single(apiKeys));
    }

    private UsagePlanThrottler Throttler(AwsOptions options, Action<AwsThrottlingOptions>? change = null)
    {
        var throttling = new AwsThrottlingOptions
        {
            RestApiId = _api.RestApiId,
            Stage = "prod",
            DefaultUsagePlanId = _api.DefaultPlanId,
            RestrictedUsagePlanId = _api.RestrictedPlanId,
            Clients = [.. Clients],
            ClientRateMetric = new()
            {
                Namespace = "AWorld/Clients",
                MetricName = "Requests",
                Stat = "Sum",
                PeriodSeconds = 60,
                Dimensions = new() { ["ApiName"] = "aworld-api", ["Client"] = "{client}", ["Region"] = "{region}" },
            },
        };
        change?.Invoke(throttling);
        options.Throttling[Region] = throttling;
        return new UsagePlanThrottler(new ApiGatewayClient(TestAws.Http(options)), _metrics, Options.Create(options), _time);
    }
}
