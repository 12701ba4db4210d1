using AWorld.Twin;
using AWorld.Core.Telemetry;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Telemetry;

public class EstateMonitorLatenessTests
{
    [Fact]
    public async Task PointsThatArriveAfterTheirPollWindow_AreStillRead()
    {
        // Polls fall between the twin's whole seconds: each second's point is recorded after the poll that covers its timestamp.
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).AddMilliseconds(400);
        var time = new FakeTimeProvider(start);
        using var services = Engines.OnFakeClock(time);
        var twin = services.GetRequiredService<EstateTwin>();
        var store = services.GetRequiredService<SeriesStore>();
        var monitor = services.GetRequiredService<EstateMonitor>();

        EstateSnapshot? snapshot = null;
        for (var s = 0; s < 60; s++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            twin.AdvanceTo(time.GetUtcNow());
            snapshot = await monitor.PollAsync();
        }

        Assert.All(snapshot!.Regions, r => Assert.False(r.IsStale));
        var points = store.Read(MetricCatalog.SeriesKey("eu-west-1", EstateMetric.ApiRequests), twin.StartTime, time.GetUtcNow());
        Assert.Equal(60, points.Count); // every second the twin simulated, 09:00:00 to 09:00:59
    }
}
