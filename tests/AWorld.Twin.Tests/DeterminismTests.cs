using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin.Tests;

public class DeterminismTests
{
    [Fact]
    public async Task SameSeed_GivesTheSameMetricsAndTruth()
    {
        var (metricsA, truthA) = await RunAsync(42);
        var (metricsB, truthB) = await RunAsync(42);

        Assert.Equal(metricsA, metricsB);
        Assert.Equal(truthA, truthB);
    }

    [Fact]
    public async Task AnotherSeed_GivesOtherMetrics()
    {
        var (metricsA, _) = await RunAsync(42);
        var (metricsB, _) = await RunAsync(43);

        Assert.NotEqual(metricsA, metricsB);
    }

    private static async Task<(double[] Metrics, string Truth)> RunAsync(long seed)
    {
        var twin = Twins.Create(seed);
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1", Delay: TimeSpan.FromMinutes(5), Duration: TimeSpan.FromMinutes(3)));
        twin.Run(TimeSpan.FromMinutes(15));
        var series = MetricCatalog.SeriesFor(twin.Estate).Where(s => s.Region == "eu-central-1").ToList();
        var request = new GetMetricDataRequest("eu-central-1", twin.StartTime, twin.Now, series.Select((s, i) => new MetricDataQuery($"q{i}", s.Stat)).ToList());
        var response = await ((ITelemetrySource)twin).GetMetricDataAsync(request, CancellationToken.None);
        var truth = twin.Truth();
        var text = string.Join("|", truth.Regions.Select(r => r.ToString())) + truth.Writes + truth.Clients;
        return (response.Results.SelectMany(r => r.Values).ToArray(), text);
    }
}
