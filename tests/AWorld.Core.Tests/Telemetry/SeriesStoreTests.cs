using AWorld.Core.Telemetry;

namespace AWorld.Core.Tests.Telemetry;

public class SeriesStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecentPoints_AreReadAtFullResolution()
    {
        var store = Store(raw: 600);
        for (var s = 0; s < 300; s++)
        {
            store.Append("a", T0.AddSeconds(s), s);
        }

        var points = store.Read("a", T0.AddSeconds(100), T0.AddSeconds(109));

        Assert.Equal(Enumerable.Range(100, 10).Select(v => (double)v), points.Select(p => p.Value));
        Assert.All(points, p => Assert.Equal(p.Value, p.Min));
    }

    [Fact]
    public void OlderPoints_AreReadAsMinuteAggregates_WithMeanMinAndMax()
    {
        var store = Store(raw: 120);
        for (var s = 0; s < 3600; s++)
        {
            store.Append("a", T0.AddSeconds(s), s % 60);
        }

        var points = store.Read("a", T0, T0.AddMinutes(5));

        Assert.Equal(6, points.Count);
        Assert.Equal(T0.AddMinutes(1), points[1].At);
        Assert.All(points, p => Assert.Equal((29.5, 0, 59), (p.Value, p.Min, p.Max)));
    }

    [Fact]
    public void PointsOlderThanTheMinuteTier_AreReadAsQuarterHours()
    {
        var store = Store(raw: 120, minutes: 60);
        for (var s = 0; s < 4 * 3600; s += 5)
        {
            store.Append("a", T0.AddSeconds(s), s < 900 ? 1 : 3);
        }

        var points = store.Read("a", T0, T0.AddMinutes(29));

        Assert.Equal([T0, T0.AddMinutes(15)], points.Select(p => p.At));
        Assert.Equal([1.0, 3.0], points.Select(p => p.Value));
    }

    [Fact]
    public void ReadSpanningTheRawRing_GivesAggregatesThenRawPoints_InOrder()
    {
        var store = Store(raw: 120);
        for (var s = 0; s < 600; s++)
        {
            store.Append("a", T0.AddSeconds(s), s);
        }

        var points = store.Read("a", T0, T0.AddSeconds(599));

        Assert.Equal(T0, points[0].At);
        Assert.Equal(T0.AddSeconds(599), points[^1].At);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First.At < p.Second.At));
        Assert.Equal(120, points.Count(p => p.At >= T0.AddSeconds(480)));
    }

    [Fact]
    public void Memory_IsFixedPerSeries_AndTheBudgetIsEnforced()
    {
        var store = new SeriesStore(new SeriesStoreOptions { MemoryBudgetMegabytes = 1 });
        var perSeries = store.BytesPerSeries;
        var fits = (int)(1024 * 1024 / perSeries);
        for (var i = 0; i < fits; i++)
        {
            store.Register($"s{i}");
        }

        for (var s = 0; s < 100_000; s++)
        {
            store.Append("s0", T0.AddSeconds(s), s);
        }

        Assert.Equal(fits * perSeries, store.AllocatedBytes);
        var error = Assert.Throws<InvalidOperationException>(() => store.Register("one-too-many"));
        Assert.Contains("Telemetry:Store:MemoryBudgetMegabytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PointsNotLaterThanTheLast_AreIgnored()
    {
        var store = Store();
        store.Append("a", T0.AddSeconds(10), 1);
        store.Append("a", T0.AddSeconds(10), 2);
        store.Append("a", T0.AddSeconds(5), 3);

        Assert.Equal([1.0], store.Read("a", T0, T0.AddMinutes(1)).Select(p => p.Value));
    }

    [Fact]
    public void Window_SumsOnlyPointsAfterTheGivenTime()
    {
        var store = Store();
        for (var s = 0; s < 60; s++)
        {
            store.Append("a", T0.AddSeconds(s), 2);
        }

        var window = store.Window("a", T0.AddSeconds(49));

        Assert.Equal((20.0, 2.0, 10, 2.0), window);
    }

    private static SeriesStore Store(int raw = 3600, int minutes = 1440)
    {
        var store = new SeriesStore(new SeriesStoreOptions { RawPoints = raw, MinutePoints = minutes });
        store.Register("a");
        return store;
    }
}
