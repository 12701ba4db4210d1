using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// What the twin's CloudWatch holds: one value per series per second for the last <see cref="RetentionSeconds"/>,
/// NaN where a region published nothing (it was down). Serves GetMetricData, aggregating to the asked period.
/// </summary>
internal sealed class MetricRecorder
{
    public const int RetentionSeconds = 3600;

    private readonly DateTimeOffset _start;
    private readonly Dictionary<(string Region, string Stat), int> _slotByQuery = [];
    private readonly Dictionary<string, int> _slotByKey = new(StringComparer.Ordinal);
    private readonly double[] _values;
    private readonly int _slots;
    private long _recorded;

    public MetricRecorder(EstateTopology estate, DateTimeOffset start)
    {
        _start = start;
        Series = MetricCatalog.SeriesFor(estate);
        _slots = Series.Length;
        for (var i = 0; i < Series.Length; i++)
        {
            _slotByQuery[(Series[i].QueryRegion, MetricCatalog.StatKey(Series[i].Stat))] = i;
            _slotByKey[Series[i].Key] = i;
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
            if (!_slotByQuery.TryGetValue((request.Region, MetricCatalog.StatKey(query.MetricStat)), out var slot))
            {
                results.Add(new MetricDataResult(query.Id, [], [], MetricDataStatus.Complete));
                continue;
            }

            results.Add(Read(query, slot, from, to));
        }

        return new GetMetricDataResponse(results);
    }

    private MetricDataResult Read(MetricDataQuery query, int slot, long from, long to)
    {
        var period = Math.Max(1, query.MetricStat.PeriodSeconds);
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        if (period == 1)
        {
            for (var s = from; s < to; s++)
            {
                var v = _values[((int)(s % RetentionSeconds) * _slots) + slot];
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
                var v = _values[((int)(s % RetentionSeconds) * _slots) + slot];
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
