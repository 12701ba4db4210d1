using System.Collections.Immutable;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Anomalies;

/// <summary>
/// Runs one <see cref="AnomalyDetector"/> on every series of the estate as its points arrive, keeps each series'
/// expected band and its anomalous points in the <see cref="SeriesStore"/> (beside the series, under
/// <see cref="LowerKey"/>, <see cref="UpperKey"/> and <see cref="MarkKey"/>) so charts read them like any series,
/// and turns the detectors' alarms into <see cref="AnomalyEvent"/>s for the state stream.
/// </summary>
/// <remarks>
/// An event opens when a detector raises its alarm on a value outside its expected band (an alarm on a value the
/// band still expects is a change of shape, not something to wake an operator for), follows the peak while points stay outside the band, and ends
/// after <see cref="AnomalyTrackerOptions.QuietPoints"/> points in a row inside it (or after
/// <see cref="AnomalyTrackerOptions.MaxEventLength"/>, for a new level the band has not learnt yet). Thread-safe:
/// the monitor's loop observes; views and handlers read.
/// </remarks>
public sealed class AnomalyTracker
{
    private readonly SeriesStore _store;
    private readonly AnomalyTrackerOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tracked> _series = new(StringComparer.Ordinal);
    private readonly LinkedList<AnomalyEvent> _ended = [];

    /// <summary>The tracker the engine registers: tuned by <c>Anomalies</c>, or the defaults.</summary>
    public AnomalyTracker(SeriesStore store, IOptions<AnomalyTrackerOptions>? options = null)
        : this(store, options?.Value ?? new AnomalyTrackerOptions())
    {
    }

    public AnomalyTracker(SeriesStore store, AnomalyTrackerOptions options)
    {
        _store = store;
        _options = options;
    }

    public AnomalyTrackerOptions Options => _options;

    public static string LowerKey(string seriesKey) => seriesKey + "#lower";

    public static string UpperKey(string seriesKey) => seriesKey + "#upper";

    public static string MarkKey(string seriesKey) => seriesKey + "#anomaly";

    /// <summary>Starts a detector for the series and registers its band and marks in the store.</summary>
    public void Register(SeriesDefinition series)
    {
        lock (_gate)
        {
            if (_series.ContainsKey(series.Key))
            {
                return;
            }

            _store.Register(LowerKey(series.Key));
            _store.Register(UpperKey(series.Key));
            _store.Register(MarkKey(series.Key));
            _series[series.Key] = new Tracked(series, new AnomalyDetector(_options.Detector));
        }
    }

    /// <summary>
    /// Feeds one new point of a registered series (points must come in time order, once each: the monitor feeds
    /// only the points the store accepted). Null for a series that was not registered.
    /// </summary>
    public AnomalyPoint? Observe(string seriesKey, DateTimeOffset at, double value)
    {
        lock (_gate)
        {
            if (!_series.TryGetValue(seriesKey, out var tracked))
            {
                return null;
            }

            var point = tracked.Detector.Observe(at, value);
            _store.Append(LowerKey(seriesKey), at, point.Lower);
            _store.Append(UpperKey(seriesKey), at, point.Upper);
            var outside = value < point.Lower || value > point.Upper;
            if (tracked.Open is { } open)
            {
                if (outside || point.IsAnomalous)
                {
                    tracked.Quiet = 0;
                    _store.Append(MarkKey(seriesKey), at, value);
                    if (point.Score > open.PeakScore || (point.Score == open.PeakScore && Distance(value, point) > Distance(open.PeakValue, open)))
                    {
                        tracked.Open = open with { PeakAt = at, PeakScore = point.Score, PeakValue = value, Expected = point.Expected, Lower = point.Lower, Upper = point.Upper };
                    }
                }
                else if (++tracked.Quiet >= _options.QuietPoints)
                {
                    Close(tracked, at);
                }

                if (tracked.Open is { } still && at - still.Start >= _options.MaxEventLength)
                {
                    Close(tracked, at);
                }
            }
            else if (tracked.Candidate is { } first && outside && value > point.Upper == first.Value > first.Point.Upper)
            {
                // The minute after an alarm is still outside the band, on the same side: the event opens, from the alarm's minute.
                Open(tracked, first.At, first.Point, first.Value);
                _store.Append(MarkKey(seriesKey), at, value);
                tracked.Candidate = null;
            }
            else if (point.IsAnomalous && outside)
            {
                if (tracked.LastAt is { } last && at - last >= _options.ConfirmSpacing)
                {
                    // Minute data: one minute's outlier (a Poisson count, a minute's maximum) pages nobody; wait for the next.
                    tracked.Candidate = (at, point, value);
                }
                else
                {
                    Open(tracked, at, point, value);
                }
            }
            else
            {
                tracked.Candidate = null;
            }

            tracked.LastAt = at;
            return point;
        }
    }

    /// <summary>How many points of a series its detector has scored (0 for a series that was not registered).</summary>
    public long Scored(string seriesKey)
    {
        lock (_gate)
        {
            return _series.TryGetValue(seriesKey, out var tracked) ? tracked.Detector.Count : 0;
        }
    }

    /// <summary>Open events and those that ended within <see cref="AnomalyTrackerOptions.RecentWindow"/> of <paramref name="now"/>, newest first.</summary>
    public ImmutableArray<AnomalyEvent> Recent(DateTimeOffset now)
    {
        lock (_gate)
        {
            var after = now - _options.RecentWindow;
            return [.. _series.Values.Select(t => t.Open).OfType<AnomalyEvent>()
                .Concat(_ended.Where(e => e.End >= after))
                .OrderByDescending(e => e.Start)
                .ThenBy(e => e.SeriesKey, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every event still remembered (at most <see cref="AnomalyTrackerOptions.MaxEndedEvents"/> ended ones), newest first.</summary>
    public ImmutableArray<AnomalyEvent> All()
    {
        lock (_gate)
        {
            return [.. _series.Values.Select(t => t.Open).OfType<AnomalyEvent>().Concat(_ended).OrderByDescending(e => e.Start).ThenBy(e => e.SeriesKey, StringComparer.Ordinal)];
        }
    }

    public AnomalyEvent? Find(string id)
    {
        lock (_gate)
        {
            return _series.Values.Select(t => t.Open).OfType<AnomalyEvent>().Concat(_ended).FirstOrDefault(e => e.Id == id);
        }
    }

    private static double Distance(double value, AnomalyPoint band) => Distance(value, band.Lower, band.Upper);

    private static double Distance(double value, AnomalyEvent e) => Distance(value, e.Lower, e.Upper);

    private static double Distance(double value, double lower, double upper) =>
        value > upper ? value - upper : value < lower ? lower - value : 0;

    private static string Label(SeriesDefinition s) =>
        s.Table is null ? s.Descriptor.Label : $"{s.Descriptor.Label} {s.Table} → {s.ReceivingRegion}";

    private void Open(Tracked tracked, DateTimeOffset at, AnomalyPoint point, double value)
    {
        var s = tracked.Series;
        tracked.Quiet = 0;
        tracked.Open = new AnomalyEvent(
            $"{s.Key}@{at.ToUnixTimeMilliseconds()}", s.Key, s.Region, s.Descriptor.Service, s.Descriptor.Metric,
            Label(s), s.Descriptor.Unit, at, null, at, point.Score, value, point.Expected, point.Lower, point.Upper);
        _store.Append(MarkKey(s.Key), at, value);
    }

    private void Close(Tracked tracked, DateTimeOffset at)
    {
        _ended.AddFirst(tracked.Open! with { End = at });
        tracked.Open = null;
        tracked.Quiet = 0;
        while (_ended.Count > _options.MaxEndedEvents)
        {
            _ended.RemoveLast();
        }
    }

    private sealed class Tracked(SeriesDefinition series, AnomalyDetector detector)
    {
        public SeriesDefinition Series { get; } = series;

        public AnomalyDetector Detector { get; } = detector;

        public AnomalyEvent? Open { get; set; }

        public int Quiet { get; set; }

        public DateTimeOffset? LastAt { get; set; }

        /// <summary>An alarm on minute data waiting for the next minute to confirm it.</summary>
        public (DateTimeOffset At, AnomalyPoint Point, double Value)? Candidate { get; set; }
    }
}

/// <summary>How anomaly events are formed from the detectors' alarms, and how many are remembered.</summary>
public sealed class AnomalyTrackerOptions
{
    public const string SectionName = "Anomalies";

    /// <summary>The detector's options, the same for every series. Default: the detector's defaults.</summary>
    public AnomalyDetectorOptions Detector { get; set; } = new();

    /// <summary>
    /// Points at least this far apart (minute data) must be outside the band twice in a row, the first with the alarm,
    /// before an event opens, so that one minute's outlier pages nobody; closer points (one-second data) open an event on
    /// the alarm. Default 1 minute.
    /// </summary>
    public TimeSpan ConfirmSpacing { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Points in a row inside the band that end an event. Default 30 (half a minute at 1-second points).</summary>
    public int QuietPoints { get; set; } = 30;

    /// <summary>An event is closed after this long even if the values have not come back into the band. Default 1 hour.</summary>
    public TimeSpan MaxEventLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an ended event stays in the state stream. Default 1 hour.</summary>
    public TimeSpan RecentWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Ended events remembered in memory (the oldest are forgotten first). Default 500.</summary>
    public int MaxEndedEvents { get; set; } = 500;
}
