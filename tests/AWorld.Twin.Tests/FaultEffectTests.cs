using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin.Tests;

/// <summary>Each fault kind shows in the metrics an operator would look at, and only in its region.</summary>
public class FaultEffectTests
{
    [Fact]
    public async Task Latency_RaisesP99InItsRegionOnly()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(2));
        var normal = await Mean(twin, "eu-west-1", EstateMetric.ApiLatencyP99);
        twin.Inject(new FaultSpec(FaultKind.Latency, "eu-west-1", Magnitude: 900));
        twin.Run(TimeSpan.FromMinutes(2));

        Assert.True(await Mean(twin, "eu-west-1", EstateMetric.ApiLatencyP99) > normal + 900);
        Assert.True(await Mean(twin, "eu-central-1", EstateMetric.ApiLatencyP99) < normal * 2);
    }

    [Fact]
    public async Task Errors_RaiseTheFiveHundredsRate()
    {
        var twin = Twins.Create();
        twin.Inject(new FaultSpec(FaultKind.Errors, "eu-central-1", Magnitude: 0.25));
        twin.Run(TimeSpan.FromMinutes(2));

        var rate = await Mean(twin, "eu-central-1", EstateMetric.Api5xx) / await Mean(twin, "eu-central-1", EstateMetric.ApiRequests);

        Assert.InRange(rate, 0.2, 0.3);
    }

    [Fact]
    public async Task ThrottleStorm_FromOneClient_Answers429sAndLoadsTheRegion()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(2));
        var normal4xx = await Mean(twin, "eu-west-1", EstateMetric.Api4xx);
        var normalCpu = await Mean(twin, "eu-west-1", EstateMetric.MemoryDbCpu);
        twin.Inject(new FaultSpec(FaultKind.Throttle, "eu-west-1", Magnitude: 40, Client: "tenant-02"));
        twin.Run(TimeSpan.FromMinutes(2));

        Assert.True(await Mean(twin, "eu-west-1", EstateMetric.Api4xx) > normal4xx * 10);
        Assert.True(await Mean(twin, "eu-west-1", EstateMetric.DynamoThrottledRequests) > 0);
        Assert.True(await Mean(twin, "eu-west-1", EstateMetric.MemoryDbCpu) > normalCpu);
    }

    [Fact]
    public async Task Outage_StopsTheRegionsMetrics_AndItsCloudWatchAnswersUnavailable()
    {
        var twin = Twins.Create();
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1", Delay: TimeSpan.FromMinutes(1)));
        twin.Run(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => Mean(twin, "eu-west-1", EstateMetric.ApiRequests));
        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        Assert.True(await Mean(twin, "eu-central-1", EstateMetric.ApiRequests) > 0);
    }

    [Fact]
    public async Task ClearedFault_EndsAtTheNextStep()
    {
        var twin = Twins.Create();
        IFaultInjector injector = twin;
        var fault = await injector.InjectAsync(new FaultSpec(FaultKind.Errors, "eu-west-1", Magnitude: 0.5), "alice", CancellationToken.None);
        twin.Run(TimeSpan.FromMinutes(1));
        Assert.Single(await injector.ListAsync(CancellationToken.None));

        Assert.True(await injector.ClearAsync(fault.Id, CancellationToken.None));
        twin.Run(TimeSpan.FromMinutes(1));

        Assert.Empty(await injector.ListAsync(CancellationToken.None));
        Assert.False(await injector.ClearAsync(fault.Id, CancellationToken.None));
        var rate = await Mean(twin, "eu-west-1", EstateMetric.Api5xx, TimeSpan.FromSeconds(50)) / await Mean(twin, "eu-west-1", EstateMetric.ApiRequests, TimeSpan.FromSeconds(50));
        Assert.True(rate < 0.01);
        Assert.Equal("alice", twin.FaultHistory().Single().InjectedBy);
    }

    [Fact]
    public void Inject_WithUnknownRegion_IsRejectedWithAClearMessage()
    {
        var twin = Twins.Create();

        var error = Assert.Throws<ArgumentException>(() => twin.Inject(new FaultSpec(FaultKind.Outage, "us-east-2")));

        Assert.Contains("'us-east-2' is not in the estate", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Mean of a region's metric over the last minute, read through the CloudWatch-shaped port.</summary>
    private static async Task<double> Mean(EstateTwin twin, string region, EstateMetric metric, TimeSpan? window = null)
    {
        var series = MetricCatalog.SeriesFor(twin.Estate).Single(s => s.Region == region && s.Descriptor.Metric == metric);
        var request = new GetMetricDataRequest(series.QueryRegion, twin.Now - (window ?? TimeSpan.FromMinutes(1)), twin.Now, [new MetricDataQuery("q", series.Stat)]);
        var result = (await ((ITelemetrySource)twin).GetMetricDataAsync(request, CancellationToken.None)).Results.Single();
        return result.Values.Average();
    }
}
