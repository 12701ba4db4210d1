using AWorld.Core.Estate;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Telemetry;

public class EstateMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HealthyEstate_ShowsServedShares_LagWithinRpo_AndPitrWindows()
    {
        var (twin, monitor, time) = Create();

        var snapshot = await Run(twin, monitor, time, TimeSpan.FromMinutes(2));

        Assert.Equal(HealthStatus.Healthy, snapshot.Overall);
        Assert.All(snapshot.Regions, r => Assert.Equal(HealthStatus.Healthy, r.Health));
        Assert.Equal(1, snapshot.Regions.Sum(r => r.TrafficShare ?? 0), 6);
        Assert.Equal(0, snapshot.Region("eu-north-1")!.TrafficShare);
        Assert.All(snapshot.Replication.Where(p => p.From != "eu-north-1"), p => Assert.True(p.LagMs < 1000 && p.WithinRpo && !p.IsStale));
        Assert.Equal(6, snapshot.Pitr.Length);
        Assert.All(snapshot.Pitr, p => Assert.Equal(time.GetUtcNow() - TimeSpan.FromMinutes(5), p.LatestRestorable!.Value, TimeSpan.FromMinutes(1)));
        Assert.Equal(8, snapshot.Region("eu-west-1")!.Checkers.Length);
        Assert.True(snapshot.DataAtRisk.EstimatedWrites > 0);
    }

    [Fact]
    public async Task Outage_MarksTheRegionStaleWithItsAge_ThenUnhealthy_WhileOthersStayCurrent()
    {
        var (twin, monitor, time) = Create();
        await Run(twin, monitor, time, TimeSpan.FromMinutes(1));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        var after30 = await Run(twin, monitor, time, TimeSpan.FromSeconds(30));
        var west = after30.Region("eu-west-1")!;
        Assert.True(west.IsStale);
        Assert.Null(west.RequestsPerSecond);
        Assert.InRange(west.DataAge!.Value.TotalSeconds, 28, 31);
        Assert.Equal(HealthStatus.Degraded, west.Health);
        Assert.False(after30.Region("eu-central-1")!.IsStale);

        var after3m = await Run(twin, monitor, time, TimeSpan.FromMinutes(3));
        Assert.Equal(HealthStatus.Unhealthy, after3m.Region("eu-west-1")!.Health);
        Assert.Equal(HealthStatus.Degraded, after3m.Overall);
        Assert.Equal(1, after3m.Region("eu-central-1")!.TrafficShare!.Value, 2);
        Assert.Contains(after3m.Replication, p => p.From == "eu-central-1" && p.To == "eu-west-1" && p.LagMs > 100_000);
    }

    [Fact]
    public async Task FailingMetricSource_DegradesTheView_AndPublishingGoesOn()
    {
        var time = new FakeTimeProvider(Start);
        using var services = Engines.OnFakeClock(time, configure: s => s.AddSingleton<ITelemetrySource>(sp => new SwitchableSource(sp.GetRequiredService<EstateTwin>())));
        var twin = services.GetRequiredService<EstateTwin>();
        var source = (SwitchableSource)services.GetRequiredService<ITelemetrySource>();
        var stream = services.GetRequiredService<EstateStateStream>();
        var monitor = services.GetRequiredService<EstateMonitor>();
        await Run(twin, monitor, time, TimeSpan.FromMinutes(1));

        source.Broken = true;
        var snapshot = await Run(twin, monitor, time, TimeSpan.FromMinutes(1));

        Assert.Equal(snapshot, stream.Current);
        Assert.All(snapshot.Regions, r => Assert.True(r.IsStale));
        Assert.Contains(snapshot.Region("eu-west-1")!.Reasons, r => r.Contains("throttled by the test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActiveFaults_AreInTheSnapshot()
    {
        var (twin, monitor, time) = Create();
        twin.Inject(new FaultSpec(FaultKind.Latency, "eu-central-1", Magnitude: 500), "carol");

        var snapshot = await Run(twin, monitor, time, TimeSpan.FromSeconds(5));

        var fault = Assert.Single(snapshot.Faults);
        Assert.Equal(("eu-central-1", "carol"), (fault.Spec.Region, fault.InjectedBy));
    }

    private static (EstateTwin Twin, EstateMonitor Monitor, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        var services = Engines.OnFakeClock(time, Engines.Configuration(("Simulation:Seed", "3")));
        return (services.GetRequiredService<EstateTwin>(), services.GetRequiredService<EstateMonitor>(), time);
    }

    /// <summary>Advances the twin and the clock together, polling once a virtual second as the console does.</summary>
    private static async Task<EstateSnapshot> Run(EstateTwin twin, EstateMonitor monitor, FakeTimeProvider time, TimeSpan duration)
    {
        EstateSnapshot? last = null;
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            twin.Step();
            time.Advance(TimeSpan.FromSeconds(1));
            last = await monitor.PollAsync();
        }

        return last!;
    }

    private sealed class SwitchableSource(ITelemetrySource inner) : ITelemetrySource
    {
        public bool Broken { get; set; }

        public MetricTiming Timing => inner.Timing;

        public Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken) =>
            Broken
                ? throw new EstateServiceException("CloudWatch", request.Region, "ThrottlingException", "Rate exceeded: throttled by the test.")
                : inner.GetMetricDataAsync(request, cancellationToken);
    }
}
