using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Tests.Shared;

/// <summary>Feeds a tracker a calm series (a slow wave with small deterministic wiggle) and then a spike, one point a second.</summary>
internal static class AnomalyFeed
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static SeriesDefinition Series(string region, EstateMetric metric) =>
        MetricCatalog.SeriesFor(EstateTopology.Default).Single(s => s.Key == MetricCatalog.SeriesKey(region, metric));

    public static double Calm(int i) => 100 + (5 * Math.Sin(i * 2 * Math.PI / 600)) + (((i * 7919) % 13) - 6) * 0.3;

    /// <summary>Calm points 0..<paramref name="count"/>-1; returns the time of the next point.</summary>
    public static DateTimeOffset FeedCalm(AnomalyTracker tracker, string key, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            tracker.Observe(key, Start.AddSeconds(i), Calm(i));
        }

        return Start.AddSeconds(from + count);
    }
}
