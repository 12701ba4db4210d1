using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Operations;

public sealed class CountermeasurePolicyTests : IDisposable
{
    private readonly OperationsHarness _h = new() { LadderEnabled = true };

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task StormingClient_IsThrottledToTwiceItsUsualRate_AndRestoredWhenItCalmsDown()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var storm = _h.Twin.Inject(new FaultSpec(FaultKind.Throttle, "eu-west-1", Magnitude: 40, Client: "tenant-03"));
        await _h.AdvanceAsync(TimeSpan.FromSeconds(10));

        var throttled = (await ((IClientThrottler)_h.Twin).TopClientsAsync("eu-west-1", 5, default)).Single(c => c.Client == "tenant-03");
        Assert.True(throttled.Reduced);
        Assert.InRange(throttled.LimitRequestsPerSecond, 1.5 * throttled.BaselineRequestsPerSecond, 2.5 * throttled.BaselineRequestsPerSecond);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "countermeasure.throttle" && e.Target == "eu-west-1 tenant-03");
        Assert.DoesNotContain(_h.AuditStore.Entries, e => e.Action == "countermeasure.throttle" && e.Target != "eu-west-1 tenant-03");

        await ((IFaultInjector)_h.Twin).ClearAsync(storm.Id, default);
        await _h.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.False((await ((IClientThrottler)_h.Twin).TopClientsAsync("eu-west-1", 40, default)).Single(c => c.Client == "tenant-03").Reduced);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "countermeasure.unthrottle");
    }

    [Fact]
    public async Task RegionDown_OnEveryIndependentSignal_IsFailedOverAutomatically_WithinTheRules()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        await _h.AdvanceAsync(TimeSpan.FromMinutes(10));

        var op = Assert.Single(await _h.Service.RecentAsync());
        Assert.Equal((OperationKind.Failover, "eu-west-1", "aworld-countermeasures"), (op.Request.Kind, op.Request.From, op.RequestedBy));
        Assert.Equal(OperationState.Completed, op.State);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "operation.auto-approve");
        Assert.Equal(0, _h.Twin.Truth().Region("eu-west-1").Weight);
        Assert.True(_h.Twin.Truth().Clients.LastSecondSuccessRatio > 0.99);
    }

    [Fact]
    public async Task OneSignalOnly_IsProposedToPeople_NotExecuted()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        // A fifth of requests fail: CloudWatch says unhealthy, but most Route 53 probes still succeed.
        _h.Twin.Inject(new FaultSpec(FaultKind.Errors, "eu-central-1", Magnitude: 0.2));

        await _h.AdvanceAsync(TimeSpan.FromMinutes(5));

        var op = Assert.Single(await _h.Service.RecentAsync());
        Assert.Equal(OperationState.Proposed, op.State);
        Assert.Equal(100, _h.Twin.Truth().Region("eu-central-1").Weight);

        var adopted = await _h.Service.AdoptAsync(op.Id, OperationsHarness.Operator);
        Assert.Equal(OperationState.PendingApproval, adopted.Operation!.State);
        Assert.Equal("olivia", adopted.Operation.RequestedBy);
    }

    [Fact]
    public async Task SurvivorOfAFailover_IsScaledOut_InBoundedSteps()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(30));
        await ((ITrafficRouter)_h.Twin).ChangeWeightsAsync([new WeightChange("eu-west-1", 0)], "drain by hand", default);

        await _h.AdvanceAsync(TimeSpan.FromMinutes(20));

        var scale = await ((IRegionScaler)_h.Twin).GetScaleAsync("eu-central-1", default);
        Assert.InRange(scale, 1.5, 3);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "countermeasure.scale-out" && e.Target == "eu-central-1");
        Assert.Equal(1, await ((IRegionScaler)_h.Twin).GetScaleAsync("eu-north-1", default));
    }

    [Fact]
    public async Task LatencyAnomaly_OnAnOtherwiseHealthyRegion_IsProposedWithTheBandAsEvidence()
    {
        _h.LadderEnabled = false;
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var start = _h.Time.GetUtcNow();
        var anomaly = new AWorld.Core.Anomalies.AnomalyEvent("eu-central-1/ApiLatencyP99@1", "eu-central-1/ApiLatencyP99", "eu-central-1",
            AWorld.Core.Telemetry.ServiceKind.ApiGateway, AWorld.Core.Telemetry.EstateMetric.ApiLatencyP99, "Latency p99", "Milliseconds",
            start, null, start, 0.97, 2_400, 180, 120, 260);

        for (var s = 0; s < 240; s++)
        {
            await _h.AdvanceAsync(TimeSpan.FromSeconds(1));
            await _h.Countermeasures.EvaluateAsync(_h.Stream.Current! with { Anomalies = [anomaly] });
        }

        var op = Assert.Single(await _h.Service.RecentAsync());
        Assert.Equal((OperationState.Proposed, "eu-central-1"), (op.State, op.Request.From));
        Assert.Contains("anomaly on Latency p99", op.Request.Reason, StringComparison.Ordinal);
        Assert.Contains("expected 120–260", op.Request.Reason, StringComparison.Ordinal);
        Assert.Equal(100, _h.Twin.Truth().Region("eu-central-1").Weight);
    }

    [Fact]
    public async Task WithoutTheAnomaly_TheSameHealthyRegion_GetsNoProposal()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(6));

        Assert.Empty(await _h.Service.RecentAsync());
    }
}
