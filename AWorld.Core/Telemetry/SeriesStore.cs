using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Telemetry;

/// <summary>A point of a series: for aggregates, <see cref="Value"/> is the mean and Min/Max bound it.</summary>
public readonly record struct SeriesPoint(DateTimeOffset At, double Value, double Min, double Max);

/// <summary>
/// A bounded in-memory store of time series with a fixed memory budget: every series preallocates a raw ring at
/// full resolution and two rings of downsampled aggregates (one minute, fifteen minutes), so memory never grows
/// with time. Points older than the raw ring are read from the finest tier that still covers them.
/// </summary>
/// <remarks>One writer and any number of readers; each series locks itself.</remarks>
public sealed class SeriesStore
{
    private const long MinuteMs = 60_000;
    private const long QuarterHourMs = 900_000;

    private readonly SeriesStoreOptions _options;
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Lock _registration = new();

    /// <summary>The store the engine registers: sized by <c>Telemetry:Store</c>, or the defaults.</summary>
    public SeriesStore(IOptions<TelemetryOptions>? telemetry = null)
        : this(telemetry?.Value.Store ?? new SeriesStoreOptions())
    {
    }

    public SeriesStore(SeriesStoreOptions options)
    {
        _options = options;
        BytesPerSeries = (_options.RawPoints * 16L) + ((_options.MinutePoints + _options.QuarterHourPoints) * Tier.BytesPerPoint);
    }

    /// <summary>Memory one series takes, fixed at registration.</summary>
    public long BytesPerSeries { get; }

    public long AllocatedBytes => _series.Count * BytesPerSeries;

    public int Count => _series.Count;

    public IEnumerable<string> Keys => _series.Keys;

    /// <summary>Adds a series (idempotent).</summary>
    /// <exception cref="InvalidOperationException">The series would exceed the memory budget.</exception>
    public void Register(string key)
    {
        if (_series.ContainsKey(key))
        {
            return;
        }

        lock (_registration)
        {
            if (_series.ContainsKey(key))
            {
                return;
            }

            if ((_series.Count + 1) * BytesPerSeries > _options.MemoryBudgetMegabytes * 1024L * 1024L)
            {
                throw new InvalidOperationException(
                    $"Series '{key}' would take the series store past its budget of {_options.MemoryBudgetMegabytes} MB " +
                    $"({_series.Count} series of {BytesPerSeries / 1024} KB). Raise Telemetry:Store:MemoryBudgetMegabytes or lower the points kept per series.");
            }

            _series[key] = new Series(_options);
        }
    }

    /// <summary>
    /// Appends a point; a point not later than the series' last one is ignored (sources may overlap). True when the
    /// point was new and kept.
    /// </summary>
    public bool Append(string key, DateTimeOffset at, double value) =>
        !double.IsNaN(value) && _series.TryGetValue(key, out var series) && series.Append(at.ToUnixTimeMilliseconds(), value);

    /// <summary>
    /// Writes a point whatever its time: a new one is appended or inserted in time order (CloudWatch may deliver a
    /// minute after a later one), an existing one (same timestamp) takes the new value (a revision). A point older
    /// than the raw ring is ignored. True when the store changed.
    /// </summary>
    public bool Upsert(string key, DateTimeOffset at, double value) =>
        !double.IsNaN(value) && _series.TryGetValue(key, out var series) && series.Upsert(at.ToUnixTimeMilliseconds(), value);

    /// <summary>Raw points in (<paramref name="after"/>, <paramref name="until"/>], oldest first.</summary>
    public IReadOnlyList<SeriesPoint> ReadRaw(string key, DateTimeOffset after, DateTimeOffset until) =>
        _series.TryGetValue(key, out var s) ? s.ReadRaw(after.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds()) : [];

    /// <summary>Sum, mean, count and max of raw points in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    public (double Sum, double Mean, int Count, double Max) Window(string key, DateTimeOffset after, DateTimeOffset until)
    {
        if (!_series.TryGetValue(key, out var s))
        {
            return (0, double.NaN, 0, double.NaN);
        }

        return s.Window(after.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds());
    }

    public SeriesPoint? Latest(string key) => _series.TryGetValue(key, out var s) ? s.Latest() : null;

    /// <summary>
    /// Points in [<paramref name="from"/>, <paramref name="to"/>], oldest first: aggregates (from the finest tier that
    /// reaches back to <paramref name="from"/>) for the time before the raw ring, then every raw point.
    /// </summary>
    public IReadOnlyList<SeriesPoint> Read(string key, DateTimeOffset from, DateTimeOffset to) =>
        _series.TryGetValue(key, out var s) ? s.Read(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds()) : [];

    /// <summary>Sum, mean and count of raw points in (<paramref name="after"/>, now]; count 0 when there are none.</summary>
    public (double Sum, double Mean, int Count, double Max) Window(string key, DateTimeOffset after)
    {
        if (!_series.TryGetValue(key, out var s))
        {
            return (0, double.NaN, 0, double.NaN);
        }

        return s.Window(after.ToUnixTimeMilliseconds(), long.MaxValue);
    }

    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly long[] _times;
        private readonly double[] _values;
        private readonly Tier _minutes;
        private readonly Tier _quarters;
        private int _head;
        private int _count;

        public Series(SeriesStoreOptions options)
        {
            _times = new long[options.RawPoints];
            _values = new double[options.RawPoints];
            _minutes = new Tier(options.MinutePoints, MinuteMs);
            _quarters = new Tier(options.QuarterHourPoints, QuarterHourMs);
        }

        public bool Append(long at, double value)
        {
            lock (_gate)
            {
                if (_count > 0 && at <= _times[(_head + _count - 1) % _times.Length])
                {
                    return false;
                }

                AppendCore(at, value);
                return true;
            }
        }

        private void AppendCore(long at, double value)
        {
            {
                var i = (_head + _count) % _times.Length;
                if (_count == _times.Length)
                {
                    _head = (_head + 1) % _times.Length;
                }
                else
                {
                    _count++;
                }

                _times[i] = at;
                _values[i] = value;
                _minutes.Add(at, value, value, value, 1);
                _quarters.Add(at, value, value, value, 1);
            }
        }

        public SeriesPoint? Latest()
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return null;
                }

                var i = (_head + _count - 1) % _times.Length;
                return Point(_times[i], _values[i]);
            }
        }

        public bool Upsert(long at, double value)
        {
            lock (_gate)
            {
                if (_count == 0 || at > _times[(_head + _count - 1) % _times.Length])
                {
                    AppendCore(at, value);
                    return true;
                }

                // Binary search for the first point at or after `at` in the ring's logical order.
                int lo = 0, hi = _count;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (_times[(_head + mid) % _times.Length] < at)
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                if (lo < _count && _times[(_head + lo) % _times.Length] == at)
                {
                    var i = (_head + lo) % _times.Length;
                    var old = _values[i];
                    if (old.Equals(value))
                    {
                        return false;
                    }

                    _values[i] = value;
                    _minutes.Revise(at, old, value);
                    _quarters.Revise(at, old, value);
                    return true;
                }

                if (lo == 0 && _count == _times.Length)
                {
                    return false; // older than everything the full ring keeps
                }

                // Insert at logical position lo, moving the later points one place on (the oldest drops when full).
                if (_count == _times.Length)
                {
                    _head = (_head + 1) % _times.Length;
                    lo--;
                }
                else
                {
                    _count++;
                }

                for (var k = _count - 1; k > lo; k--)
                {
                    var to = (_head + k) % _times.Length;
                    var from = (_head + k - 1) % _times.Length;
                    _times[to] = _times[from];
                    _values[to] = _values[from];
                }

                var slot = (_head + lo) % _times.Length;
                _times[slot] = at;
                _values[slot] = value;
                _minutes.Insert(at, value);
                _quarters.Insert(at, value);
                return true;
            }
        }

        public List<SeriesPoint> ReadRaw(long after, long until)
        {
            lock (_gate)
            {
                var list = new List<SeriesPoint>();
                for (var k = 0; k < _count; k++)
                {
                    var i = (_head + k) % _times.Length;
                    if (_times[i] > after && _times[i] <= until)
                    {
                        list.Add(Point(_times[i], _values[i]));
                    }
                }

                return list;
            }
        }

        public (double Sum, double Mean, int Count, double Max) Window(long after, long until)
        {
            lock (_gate)
            {
                double sum = 0, max = double.NaN;
                var n = 0;
                for (var k = _count - 1; k >= 0; k--)
                {
                    var i = (_head + k) % _times.Length;
                    if (_times[i] <= after)
                    {
                        break;
                    }

                    if (_times[i] > until)
                    {
                        continue;
                    }

                    sum += _values[i];
                    max = n == 0 ? _values[i] : Math.Max(max, _values[i]);
                    n++;
                }

                return (sum, n > 0 ? sum / n : double.NaN, n, max);
            }
        }

        public List<SeriesPoint> Read(long from, long to)
        {
            lock (_gate)
            {
                var oldestRaw = _count > 0 ? _times[_head] : long.MaxValue;
                var list = new List<SeriesPoint>();

                // Before the raw ring: aggregates from the finest tier that reaches back far enough, up to where
                // full resolution begins, so that one read gives one continuous, ordered series.
                if (from < oldestRaw && (_minutes.Count > 0 || _quarters.Count > 0))
                {
                    var tier = from >= _minutes.OldestStart ? _minutes : _quarters;
                    list.AddRange(tier.Read(from, to, endBy: oldestRaw));
                }

                for (var k = 0; k < _count; k++)
                {
                    var i = (_head + k) % _times.Length;
                    if (_times[i] >= from && _times[i] <= to)
                    {
                        list.Add(Point(_times[i], _values[i]));
                    }
                }

                return list;
            }
        }

        private static SeriesPoint Point(long at, double value) => new(DateTimeOffset.FromUnixTimeMilliseconds(at), value, value, value);
    }

    /// <summary>A ring of fixed-width aggregates; the bucket being filled is readable too.</summary>
    private sealed class Tier(int capacity, long widthMs)
    {
        public const int BytesPerPoint = (8 * 4) + 4;

        private readonly long[] _start = new long[capacity];
        private readonly double[] _min = new double[capacity];
        private readonly double[] _max = new double[capacity];
        private readonly double[] _sum = new double[capacity];
        private readonly int[] _n = new int[capacity];
        private int _head;

        public int Count { get; private set; }

        public long OldestStart => Count == 0 ? long.MaxValue : _start[_head];

        public void Add(long at, double min, double max, double sum, int n)
        {
            var bucket = at - (((at % widthMs) + widthMs) % widthMs);
            var last = (_head + Count - 1) % capacity;
            if (Count > 0 && _start[last] == bucket)
            {
                _min[last] = Math.Min(_min[last], min);
                _max[last] = Math.Max(_max[last], max);
                _sum[last] += sum;
                _n[last] += n;
                return;
            }

            int i;
            if (Count == capacity)
            {
                i = _head;
                _head = (_head + 1) % capacity;
            }
            else
            {
                i = (_head + Count) % capacity;
                Count++;
            }

            _start[i] = bucket;
            _min[i] = min;
            _max[i] = max;
            _sum[i] = sum;
            _n[i] = n;
        }

        /// <summary>A point's value changed: its bucket's sum follows; min and max take the new value in (an old extreme may linger).</summary>
        public void Revise(long at, double old, double value)
        {
            if (Find(Bucket(at)) is { } i)
            {
                _sum[i] += value - old;
                _min[i] = Math.Min(_min[i], value);
                _max[i] = Math.Max(_max[i], value);
            }
        }

        /// <summary>A point arrived out of order: into its bucket, or a new bucket in time order.</summary>
        public void Insert(long at, double value)
        {
            var bucket = Bucket(at);
            if (Find(bucket) is { } i)
            {
                _min[i] = Math.Min(_min[i], value);
                _max[i] = Math.Max(_max[i], value);
                _sum[i] += value;
                _n[i]++;
                return;
            }

            if (Count == 0 || bucket > _start[(_head + Count - 1) % capacity])
            {
                Add(at, value, value, value, 1);
                return;
            }

            if (bucket < _start[_head] && Count == capacity)
            {
                return;
            }

            var position = 0;
            while (position < Count && _start[(_head + position) % capacity] < bucket)
            {
                position++;
            }

            if (Count == capacity)
            {
                _head = (_head + 1) % capacity;
                position--;
            }
            else
            {
                Count++;
            }

            for (var k = Count - 1; k > position; k--)
            {
                var to = (_head + k) % capacity;
                var from = (_head + k - 1) % capacity;
                (_start[to], _min[to], _max[to], _sum[to], _n[to]) = (_start[from], _min[from], _max[from], _sum[from], _n[from]);
            }

            var slot = (_head + position) % capacity;
            (_start[slot], _min[slot], _max[slot], _sum[slot], _n[slot]) = (bucket, value, value, value, 1);
        }

        private long Bucket(long at) => at - (((at % widthMs) + widthMs) % widthMs);

        private int? Find(long bucket)
        {
            for (var k = Count - 1; k >= 0; k--)
            {
                var i = (_head + k) % capacity;
                if (_start[i] == bucket)
                {
                    return i;
                }

                if (_start[i] < bucket)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>Buckets overlapping [from, to] that end by <paramref name="endBy"/> (where finer data takes over).</summary>
        public List<SeriesPoint> Read(long from, long to, long endBy)
        {
            var list = new List<SeriesPoint>();
            for (var k = 0; k < Count; k++)
            {
                var i = (_head + k) % capacity;
                if (_start[i] + widthMs > from && _start[i] <= to && _start[i] + widthMs <= endBy)
                {
                    list.Add(new SeriesPoint(DateTimeOffset.FromUnixTimeMilliseconds(_start[i]), _sum[i] / _n[i], _min[i], _max[i]));
                }
            }

            return list;
        }
    }
}
