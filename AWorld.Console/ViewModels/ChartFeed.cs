using AWorld.Core.Anomalies;
using AWorld.Core.Telemetry;

namespace AWorld.Console.ViewModels;

/// <summary>A line of a live chart: its legend name and the series it reads.</summary>
public sealed record ChartSeries(string Name, string SeriesKey);

/// <summary>One batch for the charts module: lines as [epoch ms, value], the band as [epoch ms, low, high], marks per line.</summary>
public sealed record ChartBatch(double[][][] Series, double[][]? Band, double[][][] Markers)
{
    public bool IsEmpty => Series.All(s => s.Length == 0) && (Band is null || Band.Length == 0) && Markers.All(m => m.Length == 0);
}

/// <summary>
/// Feeds one chart from the series store: the window's points at first, then on each tick only the points that
/// arrived since the last one it sent, in the shape the charts module takes. Besides the lines it sends the anomaly
/// detector's expected band of the line at <paramref name="bandIndex"/> (null for none) and each line's anomalous
/// points as marks.
/// </summary>
public sealed class ChartFeed(SeriesStore store, IReadOnlyList<ChartSeries> series, int? bandIndex = 0)
{
    private readonly DateTimeOffset[] _sent = Enumerable.Repeat(DateTimeOffset.MinValue, series.Count).ToArray();
    private readonly DateTimeOffset[] _marksSent = Enumerable.Repeat(DateTimeOffset.MinValue, series.Count).ToArray();
    private DateTimeOffset _bandSent = DateTimeOffset.MinValue;

    public bool HasBand => bandIndex is { } i && i >= 0 && i < series.Count;

    /// <summary>Points of every series in [<paramref name="from"/>, <paramref name="to"/>], marking them as sent.</summary>
    public ChartBatch Take(DateTimeOffset from, DateTimeOffset to)
    {
        var lines = new double[series.Count][][];
        var marks = new double[series.Count][][];
        for (var i = 0; i < series.Count; i++)
        {
            lines[i] = Pairs(series[i].SeriesKey, ref _sent[i], from, to);
            marks[i] = Pairs(AnomalyTracker.MarkKey(series[i].SeriesKey), ref _marksSent[i], from, to);
        }

        return new ChartBatch(lines, HasBand ? Band(series[bandIndex!.Value].SeriesKey, from, to) : null, marks);
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

    private double[][] Pairs(string key, ref DateTimeOffset sent, DateTimeOffset from, DateTimeOffset to)
    {
        var start = sent == DateTimeOffset.MinValue ? from : sent.AddTicks(1);
        var points = store.Read(key, start, to);
        if (points.Count > 0)
        {
            sent = points[^1].At;
        }

        return [.. points.Select(p => new[] { (double)p.At.ToUnixTimeMilliseconds(), Math.Round(p.Value, 3) })];
    }

    // Lower and upper are appended together, so their points line up; an aggregated point keeps the widest band.
    private double[][] Band(string key, DateTimeOffset from, DateTimeOffset to)
    {
        var start = _bandSent == DateTimeOffset.MinValue ? from : _bandSent.AddTicks(1);
        var lower = store.Read(AnomalyTracker.LowerKey(key), start, to);
        var upper = store.Read(AnomalyTracker.UpperKey(key), start, to);
        var n = Math.Min(lower.Count, upper.Count);
        if (n > 0)
        {
            _bandSent = lower[n - 1].At;
        }

        var band = new double[n][];
        for (var i = 0; i < n; i++)
        {
            band[i] = [lower[i].At.ToUnixTimeMilliseconds(), Math.Round(lower[i].Min, 3), Math.Round(upper[i].Max, 3)];
        }

        return band;
    }
}
