using AWorld.Core.Telemetry;

namespace AWorld.Console.ViewModels;

/// <summary>A line of a live chart: its legend name and the series it reads.</summary>
public sealed record ChartSeries(string Name, string SeriesKey);

/// <summary>
/// Feeds one chart from the series store: the window's points at first, then on each tick only the points that
/// arrived since the last one it sent, as [epoch ms, value] pairs in the shape the charts module takes.
/// </summary>
public sealed class ChartFeed(SeriesStore store, IReadOnlyList<ChartSeries> series)
{
    private readonly DateTimeOffset[] _sent = Enumerable.Repeat(DateTimeOffset.MinValue, series.Count).ToArray();

    /// <summary>Points of every series in [<paramref name="from"/>, <paramref name="to"/>], marking them as sent.</summary>
    public double[][][] Take(DateTimeOffset from, DateTimeOffset to)
    {
        var batch = new double[series.Count][][];
        for (var i = 0; i < series.Count; i++)
        {
            var start = _sent[i] == DateTimeOffset.MinValue ? from : _sent[i].AddTicks(1);
            var points = store.Read(series[i].SeriesKey, start, to);
            batch[i] = points.Select(p => new[] { (double)p.At.ToUnixTimeMilliseconds(), Math.Round(p.Value, 3) }).ToArray();
            if (points.Count > 0)
            {
                _sent[i] = points[^1].At;
            }
        }

        return batch;
    }

    /// <summary>Age of the newest point over all series, or null when none has data.</summary>
    public TimeSpan? NewestAge(DateTimeOffset now)
    {
        DateTimeOffset? newest = null;
        foreach (var s in series)
        {
            if (store.Latest(s.SeriesKey) is { } p && (newest is null || p.At > newest))
            {
                newest = p.At;
            }
        }

        return newest is { } n ? now - n : null;
    }
}
