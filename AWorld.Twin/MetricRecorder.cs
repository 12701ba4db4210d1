using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// What the twin's CloudWatch holds and serves (GetMetricData, aggregating to the asked period). Every series has one value
/// per second (NaN where nothing was published, e.g. its region was down) in a ring of the last <see cref="RetentionSeconds"/>
/// (<see cref="MetricCadence.Immediate"/>) or <see cref="HighResolutionRetentionSeconds"/> (<see cref="MetricCadence.CloudWatch"/>).
/// Besides the catalog's series it keeps extra slots (named by the twin) and derived metrics computed from them, which answer
/// any of the statistics Sum, Average, Minimum, Maximum and SampleCount.
/// </summary>
/// <remarks>
/// Under <see cref="MetricCadence.CloudWatch"/> it also keeps, per catalog series, minute aggregates for 15 days, 5-minute
/// roll-ups for 63 days and hourly roll-ups for 455 days (16 bytes each, allocated a chunk at a time as time passes), and
/// serves like CloudWatch: standard-resolution series at 1 minute, each minute absent until a delay drawn in
/// [<see cref="MinFirstVisibleDelaySeconds"/>, <see cref="MaxFirstVisibleDelaySeconds"/>] after its end, then computed from
/// only its first 50–90% of seconds, final from a second delay of at most <see cref="MaxCompleteDelaySeconds"/>; the delays
/// are hashed from the seed, the series and the minute, so reading never moves the simulation's random streams.
/// High-resolution series (the canaries, the derived client metrics) keep 1 second, readable
/// <see cref="HighResolutionDelaySeconds"/> after their second. The derived client metrics have no aggregates: they are
/// served for the last 3 hours only. Not thread-safe: the twin's lock guards it.
/// </remarks>
internal sealed class MetricRecorder
{
    /// <summary>Seconds kept under <see cref="MetricCadence.Immediate"/>.</summary>
    public const int RetentionSeconds = 3600;

    /// <summary>Seconds kept under <see cref="MetricCadence.CloudWatch"/>: CloudWatch keeps 1-second data 3 hours.</summary>
    public const int HighResolutionRetentionSeconds = 3 * 3600;

    public const int HighResolutionDelaySeconds = 2;
    public const int MinFirstVisibleDelaySeconds = 60;
    public const int MaxFirstVisibleDelaySeconds = 120;
    public const int MaxCompleteDelaySeconds = 180;

    public const long MinuteRetentionSeconds = 15 * 86_400L;
    public const long FiveMinuteRetentionSeconds = 63 * 86_400L;
    public const long HourRetentionSeconds = 455 * 86_400L;

    private readonly DateTimeOffset _start;
    private readonly long _startUnix;
    private readonly MetricCadence _cadence;
    private readonly long _seed;
    private readonly int _retention;
    private readonly Dictionary<(string Region, string Stat), int> _slotByQuery = [];
    private readonly Dictionary<string, int> _slotByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Region, string Metric), Func<long, double>> _derived = [];
    private readonly ChunkedRing<double> _values;
    private readonly int _slots;
    private readonly bool[] _highResolution;
    private readonly AggregateTier? _minutes;
    private readonly AggregateTier? _fiveMinutes;
    private readonly AggregateTier? _hours;
    private readonly MetricAggregate[] _row;
    private readonly MetricAggregate[] _rollup;
    private MetricAggregate[]? _startMinuteHistory;
    private long _recorded;

    /// <param name="estate">The estate whose catalog series are kept.</param>
    /// <param name="start">Virtual time of second 0 (a whole second).</param>
    /// <param name="extraKeys">Slots besides the catalog's, for values the twin derives metrics from.</param>
    /// <param name="cadence">How datapoints are delivered and kept.</param>
    /// <param name="seed">Seed of the delivery delays (<see cref="MetricCadence.CloudWatch"/>).</param>
    public MetricRecorder(EstateTopology estate, DateTimeOffset start, IReadOnlyList<string>? extraKeys = null, MetricCadence cadence = MetricCadence.Immediate, long seed = 0)
    {
        _start = start;
        _startUnix = start.ToUnixTimeSeconds();
        _cadence = cadence;
        _seed = seed;
        Series = MetricCatalog.SeriesFor(estate);
        _slots = Series.Length + (extraKeys?.Count ?? 0);
        for (var i = 0; i < Series.Length; i++)
        {
            _slotByQuery[(Series[i].QueryRegion, MetricCatalog.StatKey(Series[i].Stat))] = i;
            _slotByKey[Series[i].Key] = i;
        }

        for (var i = 0; i < (extraKeys?.Count ?? 0); i++)
        {
            _slotByKey[extraKeys![i]] = Series.Length + i;
        }

        _retention = cadence == MetricCadence.CloudWatch ? HighResolutionRetentionSeconds : RetentionSeconds;
        _values = new ChunkedRing<double>(_retention, _slots, 600, double.NaN);
        _highResolution = [.. Series.Select(s => s.Descriptor.HighResolution)];
        _row = new MetricAggregate[Series.Length];
        _rollup = new MetricAggregate[Series.Length];
        if (cadence == MetricCadence.CloudWatch)
        {
            // A little more than the retention, so that the oldest period a read may ask for is still there.
            _minutes = new AggregateTier(60, (int)(MinuteRetentionSeconds / 60) + 2, Series.Length, 1440);
            _fiveMinutes = new AggregateTier(300, (int)(FiveMinuteRetentionSeconds / 300) + 2, Series.Length, 2016);
            _hours = new AggregateTier(3600, (int)(HourRetentionSeconds / 3600) + 2, Series.Length, 720);
        }
    }

    public ImmutableArray<SeriesDefinition> Series { get; }

    public MetricCadence Cadence => _cadence;

    public int Slot(string seriesKey) => _slotByKey[seriesKey];

    /// <summary>Bytes held per store: the per-second ring and the minute, 5-minute and hourly tiers.</summary>
    public (long Seconds, long Minutes, long FiveMinutes, long Hours) AllocatedBytes =>
        (_values.AllocatedBytes, _minutes?.AllocatedBytes ?? 0, _fiveMinutes?.AllocatedBytes ?? 0, _hours?.AllocatedBytes ?? 0);

    /// <summary>Opens the row of second <paramref name="second"/>: every series starts as "no data".</summary>
    public void BeginSecond(long second)
    {
        if (_minutes is not null && second > 0 && (_startUnix + second) % 60 == 0)
        {
            FinalizeMinute(((_startUnix + second) / 60) - 1);
        }

        _values.Row(second).Fill(double.NaN);
        _recorded = second + 1;
    }

    public void Set(long second, int slot, double value) => _values.Row(second)[slot] = value;

    /// <summary>
    /// Adds a metric read in <paramref name="queryRegion"/> whose value at a second is <paramref name="valueAt"/> (NaN
    /// for no data); <paramref name="metric"/>'s statistic is ignored, so any statistic of it may be asked.
    /// </summary>
    public void Derive(string queryRegion, MetricStat metric, Func<long, double> valueAt) =>
        _derived[(queryRegion, MetricCatalog.StatKey(metric with { Stat = "" }))] = valueAt;

    public double Get(long second, int slot) =>
        second < 0 || second >= _recorded || second < _recorded - _retention
            ? double.NaN
            : _values.Get(second, slot);

    /// <summary>
    /// Stores a whole minute (Unix minute number) of every catalog series, in increasing order, and rolls completed
    /// 5-minute and hourly periods up (<see cref="MetricCadence.CloudWatch"/> only): the live minutes, or history.
    /// </summary>
    public void WriteMinute(long minute, ReadOnlySpan<MetricAggregate> row)
    {
        _minutes!.Write(minute, row);
        if ((minute + 1) % 5 == 0)
        {
            RollUp(_minutes, minute - 4, 5, _fiveMinutes!, ((minute + 1) / 5) - 1);
        }

        if ((minute + 1) % 60 == 0)
        {
            RollUp(_fiveMinutes!, ((minute + 1) / 5) - 12, 12, _hours!, ((minute + 1) / 60) - 1);
        }
    }

    /// <summary>
    /// History of the seconds before the start in the minute the start falls in: <paramref name="row"/> holds whole-minute
    /// aggregates, of which the first <paramref name="seconds"/> are kept and merged into that minute when it is stored.
    /// </summary>
    public void SetStartMinuteHistory(ReadOnlySpan<MetricAggregate> row, int seconds)
    {
        _startMinuteHistory = row.ToArray();
        foreach (ref var a in _startMinuteHistory.AsSpan())
        {
            if (a.HasData)
            {
                a.Sum = a.Sum * seconds / a.Count;
                a.Count = seconds;
            }
        }
    }

    /// <summary>What a tier holds of a series in a period (numbered from the epoch in <paramref name="periodSeconds"/>).</summary>
    public MetricAggregate Tier(int periodSeconds, long period, int series) => periodSeconds switch
    {
        60 => _minutes?.Get(period, series) ?? default,
        300 => _fiveMinutes?.Get(period, series) ?? default,
        3600 => _hours?.Get(period, series) ?? default,
        _ => throw new ArgumentOutOfRangeException(nameof(periodSeconds), periodSeconds, "Tiers are of 60, 300 and 3600 seconds."),
    };

    /// <summary>
    /// When a standard-resolution minute of a series shows: absent until <c>FirstVisible</c> seconds after its end, then
    /// computed from its first ceil(<c>Share</c>·60) seconds until <c>Complete</c> seconds after its end, final from then on.
    /// </summary>
    public (int FirstVisible, int Complete, double Share) Delays(int series, long minute)
    {
        var firstVisible = MinFirstVisibleDelaySeconds + (int)(SimHash.Unit(_seed, 0xC10D, series, minute) * (MaxFirstVisibleDelaySeconds - MinFirstVisibleDelaySeconds + 1));
        var complete = firstVisible + (int)(SimHash.Unit(_seed, 0xC10E, series, minute) * (MaxCompleteDelaySeconds - firstVisible + 1));
        return (firstVisible, complete, 0.5 + (0.4 * SimHash.Unit(_seed, 0xC10F, series, minute)));
    }

    public GetMetricDataResponse GetMetricData(GetMetricDataRequest request)
    {
        if (_cadence == MetricCadence.CloudWatch)
        {
            return GetMetricDataAsCloudWatch(request);
        }

        var from = Math.Max(Math.Max(0, _recorded - RetentionSeconds), (long)Math.Ceiling((request.StartTime - _start).TotalSeconds));
        var to = Math.Min(_recorded, (long)Math.Ceiling((request.EndTime - _start).TotalSeconds));
        var results = new List<MetricDataResult>(request.Queries.Count);
        foreach (var query in request.Queries)
        {
            if (_slotByQuery.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat)), out var slot))
            {
                results.Add(Read(query, s => _values.Get(s, slot), from, to));
            }
            else if (_derived.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat with { Stat = "" })), out var derived))
            {
                results.Add(Read(query, derived, from, to));
            }
            else
            {
                results.Add(new MetricDataResult(query.Id, [], [], MetricDataStatus.Complete));
            }
        }

        return new GetMetricDataResponse(results);
    }

    private MetricDataResult Read(MetricDataQuery query, Func<long, double> valueAt, long from, long to)
    {
        var period = Math.Max(1, query.MetricStat.PeriodSeconds);
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        if (period == 1)
        {
            for (var s = from; s < to; s++)
            {
                var v = valueAt(s);
                if (!double.IsNaN(v))
                {
                    times.Add(_start.AddSeconds(s));
                    values.Add(v);
                }
            }

            return new MetricDataResult(query.Id, [.. times], [.. values], MetricDataStatus.Complete);
        }

        // Periods align to the epoch, as CloudWatch's do.
        var startUnix = _start.ToUnixTimeSeconds();
        var s0 = from;
        while (s0 < to)
        {
            var bucket = (startUnix + s0) / period * period;
            var bucketEnd = Math.Min(to, bucket + period - startUnix);
            double sum = 0, min = double.MaxValue, max = double.MinValue;
            var n = 0;
            for (var s = s0; s < bucketEnd; s++)
            {
                var v = valueAt(s);
                if (double.IsNaN(v))
                {
                    continue;
                }

                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                n++;
            }

            if (n > 0)
            {
                times.Add(DateTimeOffset.FromUnixTimeSeconds(bucket));
                values.Add(query.MetricStat.Stat switch
                {
                    "Sum" or "SampleCount" => sum,
                    "Maximum" => max,
                    "Minimum" => min,
                    _ => sum / n,
                });
            }

            s0 = bucketEnd;
        }

        return new MetricDataResult(query.Id, [.. times], [.. values], MetricDataStatus.Complete);
    }

    private GetMetricDataResponse GetMetricDataAsCloudWatch(GetMetricDataRequest request)
    {
        var results = new List<MetricDataResult>(request.Queries.Count);
        foreach (var query in request.Queries)
        {
            if (_slotByQuery.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat)), out var slot))
            {
                results.Add(ReadAsCloudWatch(query, request, slot, _highResolution[slot], s => _values.Get(s, slot)));
            }
            else if (_derived.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat with { Stat = "" })), out var derived))
            {
                results.Add(ReadAsCloudWatch(query, request, -1, true, derived));
            }
            else
            {
                results.Add(new MetricDataResult(query.Id, [], [], MetricDataStatus.Complete));
            }
        }

        return new GetMetricDataResponse(results);
    }

    /// <summary>
    /// One query as CloudWatch answers it: the period checked against the start time's age (under 3 hours any period,
    /// then multiples of 60 up to 15 days, of 300 up to 63 days, of 3600 up to 455 days, otherwise nothing); standard
    /// series at no finer than a minute; each part of a bucket read from the finest store that still holds it.
    /// </summary>
    private MetricDataResult ReadAsCloudWatch(MetricDataQuery query, GetMetricDataRequest request, int series, bool highResolution, Func<long, double> valueAt)
    {
        var now = _startUnix + _recorded;
        var requested = Math.Max(1, query.MetricStat.PeriodSeconds);
        var startUnix = FloorDiv(request.StartTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerSecond);
        var endUnix = -FloorDiv(-(request.EndTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks), TimeSpan.TicksPerSecond);
        if (!PeriodAllowed(now - startUnix, requested))
        {
            return new MetricDataResult(query.Id, [], [], MetricDataStatus.Complete);
        }

        var period = requested < 60 ? (highResolution ? requested : 60) : (requested + 59) / 60 * 60;

        // CloudWatch rounds the start down to the data's resolution (the minute, for standard series).
        var from = highResolution ? startUnix : FloorDiv(startUnix, 60) * 60;
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        for (var bucket = FloorDiv(from, period) * period; bucket < endUnix && bucket < now; bucket += period)
        {
            var aggregate = new AggregateBuilder();
            var bucketEnd = Math.Min(bucket + period, endUnix);
            if (period < 60)
            {
                AddSeconds(ref aggregate, valueAt, Math.Max(bucket, from), bucketEnd, now);
            }
            else
            {
                for (var unit = Math.Max(bucket, from); unit < bucketEnd;)
                {
                    unit = AddUnit(ref aggregate, series, highResolution, valueAt, unit, bucketEnd, now);
                }
            }

            if (aggregate.Count > 0)
            {
                times.Add(DateTimeOffset.FromUnixTimeSeconds(bucket));
                values.Add(aggregate.Statistic(query.MetricStat.Stat));
            }
        }

        return new MetricDataResult(query.Id, [.. times], [.. values], MetricDataStatus.Complete);
    }

    private static bool PeriodAllowed(long startAge, int period) => startAge switch
    {
        <= HighResolutionRetentionSeconds => true,
        <= MinuteRetentionSeconds => period % 60 == 0,
        <= FiveMinuteRetentionSeconds => period % 300 == 0,
        <= HourRetentionSeconds => period % 3600 == 0,
        _ => false,
    };

    /// <summary>Adds the part of a bucket from <paramref name="unit"/> to the end of its minute (or of the tier's period that holds it); returns where the next part starts.</summary>
    private long AddUnit(ref AggregateBuilder aggregate, int series, bool highResolution, Func<long, double> valueAt, long unit, long end, long now)
    {
        var minute = FloorDiv(unit, 60) * 60;
        var ringStart = _startUnix + Math.Max(0, _recorded - _retention);
        if (highResolution && (minute >= ringStart || series < 0))
        {
            // 1-second data of the last 3 hours; derived metrics have nothing older.
            var next = Math.Min(minute + 60, end);
            AddSeconds(ref aggregate, valueAt, Math.Max(unit, ringStart), next, now);
            return series < 0 && next < ringStart ? Math.Min(end, ringStart) : next;
        }

        if (now - minute <= MinuteRetentionSeconds)
        {
            aggregate.Add(Minute(series, highResolution, minute / 60, now));
            return minute + 60;
        }

        var fiveMinutes = FloorDiv(unit, 300) * 300;
        if (now - fiveMinutes <= FiveMinuteRetentionSeconds)
        {
            aggregate.Add(_fiveMinutes!.Get(fiveMinutes / 300, series));
            return fiveMinutes + 300;
        }

        var hour = FloorDiv(unit, 3600) * 3600;
        if (now - hour <= HourRetentionSeconds)
        {
            aggregate.Add(_hours!.Get(hour / 3600, series));
        }

        return hour + 3600;
    }

    /// <summary>A minute of a catalog series as readable at <paramref name="now"/>: absent, partial, or final.</summary>
    private MetricAggregate Minute(int series, bool highResolution, long minute, long now)
    {
        var stored = _minutes!.Get(minute, series);
        if (highResolution)
        {
            return stored;
        }

        var start = minute * 60;
        var end = start + 60;
        var (firstVisible, complete, share) = Delays(series, minute);
        if (now < end + firstVisible)
        {
            return default;
        }

        // History has no seconds: its minutes show final from their first visibility.
        var live = end > _startUnix;
        if (live && now < end + complete)
        {
            return SecondsOf(series, start, start + (int)Math.Ceiling(share * 60));
        }

        return stored.HasData || !live ? stored : SecondsOf(series, start, end);
    }

    private MetricAggregate SecondsOf(int series, long fromUnix, long toUnix)
    {
        var aggregate = new AggregateBuilder();
        for (var t = Math.Max(fromUnix, _startUnix); t < toUnix; t++)
        {
            aggregate.Add(Get(t - _startUnix, series));
        }

        return aggregate.ToAggregate();
    }

    /// <summary>Adds the 1-second values of [<paramref name="fromUnix"/>, <paramref name="toUnix"/>) readable at <paramref name="now"/>.</summary>
    private void AddSeconds(ref AggregateBuilder aggregate, Func<long, double> valueAt, long fromUnix, long toUnix, long now)
    {
        var first = Math.Max(fromUnix, _startUnix + Math.Max(0, _recorded - _retention));
        var last = Math.Min(toUnix, now - 1 - HighResolutionDelaySeconds + 1);
        for (var t = first; t < last; t++)
        {
            aggregate.Add(valueAt(t - _startUnix));
        }
    }

    private void FinalizeMinute(long minute)
    {
        var history = minute * 60 < _startUnix ? _startMinuteHistory : null;
        for (var series = 0; series < _row.Length; series++)
        {
            _row[series] = SecondsOf(series, minute * 60, (minute + 1) * 60);
            if (history is not null)
            {
                var merged = new AggregateBuilder();
                merged.Add(_row[series]);
                merged.Add(history[series]);
                _row[series] = merged.ToAggregate();
            }
        }

        WriteMinute(minute, _row);
    }

    private void RollUp(AggregateTier source, long first, int count, AggregateTier target, long period)
    {
        for (var series = 0; series < _rollup.Length; series++)
        {
            var aggregate = new AggregateBuilder();
            for (var p = first; p < first + count; p++)
            {
                aggregate.Add(source.Get(p, series));
            }

            _rollup[series] = aggregate.ToAggregate();
        }

        target.Write(period, _rollup);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
