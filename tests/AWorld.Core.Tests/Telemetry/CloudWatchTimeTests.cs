using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using AWorld.Core.Tests.Shared;
using AWorld.Twin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Telemetry;

/// <summary>
/// The monitor on the twin's CloudWatch cadence: AWS metrics a minute at a time, one to three minutes late and revised
/// until complete, the canaries every second, a day of history before the start.
/// </summary>
public class CloudWatchTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task HealthyEstate_IsHealthyFromTheFirstSecond_WithMinuteDataMinutesOld_AndNeverAnythingElse()
    {
        var (services, twin, monitor, time) = Create();
        using var _ = services;

        var first = await monitor.PollAsync();
        var shown = new HashSet<HealthStatus>();
        var ages = new List<double>();
        EstateSnapshot? snapshot = null;
        for (var s = 0; s < 15 * 60; s++)
        {
            snapshot = await Step(twin, monitor, time);
            shown.UnionWith(snapshot.Regions.Select(r => r.Health));
            ages.Add(snapshot.Region("eu-west-1")!.DataAge!.Value.TotalSeconds);
            Assert.All(snapshot.Regions, r => Assert.False(r.IsStale, $"{r.Code} stale at {snapshot.At:HH:mm:ss}: {string.Join(" ", r.Reasons)}"));
        }

        // History read back at start: rates from the first poll, not minutes later.
        Assert.All(first.Regions, r => Assert.Equal(HealthStatus.Healthy, r.Health));
        Assert.NotNull(first.Region("eu-west-1")!.RequestsPerSecond);
        Assert.Equal([HealthStatus.Healthy], shown);

        // The newest minute is one to four minutes old: CloudWatch's delay, never the twin's second.
        Assert.InRange(ages.Min(), 59, 240);
        Assert.InRange(ages.Max(), 60, 300);
        Assert.All(snapshot!.Regions, r => Assert.InRange(r.CanarySuccessRatio!.Value, 0.9, 1));
    }

    [Fact]
    public async Task History_IsReadBackAtStart_AtTheSourcesResolution()
    {
        var (services, _, monitor, time) = Create();
        using var __ = services;
        var store = services.GetRequiredService<SeriesStore>();

        await monitor.PollAsync();

        var key = MetricCatalog.SeriesKey("eu-west-1", EstateMetric.ApiRequests);
        var points = store.ReadRaw(key, time.GetUtcNow() - TimeSpan.FromDays(1), time.GetUtcNow());
        Assert.InRange(points.Count, 1435, 1441);
        Assert.All(points.Zip(points.Skip(1)), p => Assert.Equal(TimeSpan.FromMinutes(1), p.Second.At - p.First.At));
        var canary = store.ReadRaw(MetricCatalog.SeriesKey("eu-west-1", EstateMetric.CanarySuccess), time.GetUtcNow() - TimeSpan.FromHours(4), time.GetUtcNow());
        Assert.InRange(canary.Count, 0, 3 * 3600);
    }

    [Fact]
    public async Task EachCompleteMinute_IsScoredOnce_ThoughItIsReadAgainWhileRevised()
    {
        var (services, twin, monitor, time) = Create();
        using var _ = services;
        var store = services.GetRequiredService<SeriesStore>();
        var tracker = services.GetRequiredService<AnomalyTracker>();
        var key = MetricCatalog.SeriesKey("eu-central-1", EstateMetric.ApiRequests);

        await monitor.PollAsync();
        var afterHistory = tracker.Scored(key);
        for (var s = 0; s < 10 * 60; s++)
        {
            await Step(twin, monitor, time);
        }

        // Scored: every point up to the newest complete minute (ended, and CloudWatch's three minutes passed), once.
        var complete = time.GetUtcNow() - TimeSpan.FromMinutes(4);
        var points = store.ReadRaw(key, time.GetUtcNow() - TimeSpan.FromDays(2), complete);
        Assert.Equal(points.Count, tracker.Scored(key));
        Assert.InRange(tracker.Scored(key) - afterHistory, 9, 11);

        // The newest minutes are in the store but not scored yet: they may still change.
        Assert.True(store.Latest(key)!.Value.At > complete);
    }

    [Fact]
    public async Task Outage_IsUnhealthyAsFastAsRoute53Allows_AndMissingMinutesCountOnlyOnceOverdue()
    {
        var (services, twin, monitor, time) = Create();
        using var _ = services;
        for (var s = 0; s < 5 * 60; s++)
        {
            await Step(twin, monitor, time);
        }

        var check = twin.Estate.HealthChecks.First(c => c.Region == "eu-west-1");
        var floor = TimeSpan.FromSeconds(check.RequestIntervalSeconds * check.FailureThreshold);
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        var outageAt = time.GetUtcNow();
        TimeSpan? unhealthy = null, metricsLate = null;
        for (var s = 0; s < 10 * 60; s++)
        {
            var snapshot = await Step(twin, monitor, time);
            var west = snapshot.Region("eu-west-1")!;
            unhealthy ??= west.Health == HealthStatus.Unhealthy ? time.GetUtcNow() - outageAt : null;
            metricsLate ??= west.IsStale ? time.GetUtcNow() - outageAt : null;
            Assert.All(snapshot.Regions.Where(r => r.Code != "eu-west-1"), r => Assert.NotEqual(HealthStatus.Unknown, r.Health));
        }

        // Route 53's checkers need RequestInterval x FailureThreshold; the view follows within one read of them.
        Assert.NotNull(unhealthy);
        Assert.InRange(unhealthy!.Value, TimeSpan.Zero, floor + TimeSpan.FromSeconds(check.RequestIntervalSeconds) + TimeSpan.FromSeconds(10));

        // The region's minutes stop; the view calls them late only once the next is overdue, not at the first gap.
        Assert.NotNull(metricsLate);
        Assert.True(metricsLate > TimeSpan.FromMinutes(2), $"metrics called late after {metricsLate}");
    }

    [Fact]
    public async Task Polling_ReadsEachSeriesOncePerItsPeriod_AsPlanned()
    {
        var (services, twin, monitor, time) = Create();
        using var _ = services;
        EstateSnapshot? snapshot = null;
        for (var s = 0; s < 5 * 60; s++)
        {
            snapshot = await Step(twin, monitor, time);
        }

        var polling = snapshot!.Polling!;
        // 4 query regions' minute metrics once a minute; 3 regions' canaries every 5 s.
        Assert.Equal(4 + 36, polling.RequestsPerMinute);
        Assert.Equal(63 + 72, polling.MetricsPerMinute);
        Assert.Equal(polling.RequestsPerMinute, polling.RequestsLastMinute);
        Assert.Equal(polling.MetricsPerMinute, polling.MetricsLastMinute);
        Assert.All(polling.Sources, source => Assert.Null(source.Error));
    }

    private static (ServiceProvider Services, EstateTwin Twin, EstateMonitor Monitor, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        var services = Engines.OnFakeClock(time, Engines.Configuration(
            ("Simulation:Seed", "5"),
            ("Simulation:MetricCadence", "CloudWatch"),
            ("Simulation:History", "1.00:00:00"),
            ("Telemetry:History", "1.00:00:00")));
        return (services, services.GetRequiredService<EstateTwin>(), services.GetRequiredService<EstateMonitor>(), time);
    }

    private static async Task<EstateSnapshot> Step(EstateTwin twin, EstateMonitor monitor, FakeTimeProvider time)
    {
        twin.Step();
        time.Advance(TimeSpan.FromSeconds(1));
        return await monitor.PollAsync();
    }
}
