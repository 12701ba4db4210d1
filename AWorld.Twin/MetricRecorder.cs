using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// What the twin's CloudWatch holds: one value per series per second for the last <see cref="RetentionSeconds"/>,
/// NaN where a region published nothing (it was down). Serves GetMetricData, aggregating to the asked period.
/// Besides the catalog's series it keeps extra slots (named by the twin) and derived metrics computed from them,
/// which answer any of the statistics Sum, Average, Minimum, Maximum and SampleCount.
/// </summary>
internal sealed class MetricRecorder
{
    public const int RetentionSeconds = 3600;

    private readonly DateTimeOffset _start;
    private readonly Dictionary<(string Region, string Stat), int> _slotByQuery = [];
    private readonly Dictionary<string, int> _slotByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Region, string Metric), Func<long, double>> _derived = [];
    private readonly double[] _values;
    private readonly int _slots;
    private long _recorded;

    /// <param name="estate">The estate whose catalog series are kept.</param>
    /// <param name="start">Virtual time of second 0.</param>
    /// <param name="extraKeys">Slots besides the catalog's, for values the twin derives metrics from.</param>
    public MetricRecorder(EstateTopology estate, DateTimeOffset start, IReadOnlyList<string>? extraKeys = null)
    {
        _start = start;
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

        _values = new double[_slots * RetentionSeconds];
        Array.Fill(_values, double.NaN);
    }

    public ImmutableArray<SeriesDefinition> Series { get; }

    public int Slot(string seriesKey) => _slotByKey[seriesKey];

    /// <summary>Opens the row of second <paramref name="second"/>: every series starts as "no data".</summary>
    public void BeginSecond(long second)
    {
        var row = (int)(second % RetentionSeconds) * _slots;
        Array.Fill(_values, double.NaN, row, _slots);
        _recorded = second + 1;
    }

    public void Set(long second, int slot, double value) => _values[((int)(second % RetentionSeconds) * _slots) + slot] = value;

    /// <summary>
    /// Adds a metric read in <paramref name="queryRegion"/> whose value at a second is <paramref name="valueAt"/> (NaN
    /// for no data); <paramref name="metric"/>'s statistic is ignored, so any statistic of it may be asked.
    /// </summary>
    public void Derive(string queryRegion, MetricStat metric, Func<long, double> valueAt) =>
        _derived[(queryRegion, MetricCatalog.StatKey(metric with { Stat = "" }))] = valueAt;

    public double Get(long second, int slot) =>
        second < 0 || second >= _recorded || second < _recorded - RetentionSeconds
            ? double.NaN
            : _values[((int)(second % RetentionSeconds) * _slots) + slot];

    public GetMetricDataResponse GetMetricData(GetMetricDataRequest request)
    {
        var from = Math.Max(Math.Max(0, _recorded - RetentionSeconds), (long)Math.Ceiling((request.StartTime - _start).TotalSeconds));
        var to = Math.Min(_recorded, (long)Math.Ceiling((request.EndTime - _start).TotalSeconds));
        var results = new List<MetricDataResult>(request.Queries.Count);
        foreach (var query in request.Queries)
        {
            if (_slotByQuery.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat)), out var slot))
            {
                results.Add(Read(query, s => _values[((int)(s % RetentionSeconds) * _slots) + slot], from, to));
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
}
