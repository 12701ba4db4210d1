using System.Runtime.InteropServices;

namespace AWorld.Twin;

/// <summary>
/// The statistics CloudWatch keeps of a period: sum, sample count, minimum and maximum (16 bytes; floats keep about
/// seven significant digits, plenty for a monitoring chart). <see cref="Count"/> 0 means no data.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct MetricAggregate
{
    public float Sum;
    public float Min;
    public float Max;
    public int Count;

    public readonly bool HasData => Count > 0;
}

/// <summary>A running aggregate in doubles, for reads and roll-ups.</summary>
internal struct AggregateBuilder
{
    public double Sum;
    public double Min;
    public double Max;
    public long Count;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        if (Count == 0)
        {
            (Min, Max) = (value, value);
        }
        else
        {
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        Sum += value;
        Count++;
    }

    public void Add(in MetricAggregate a)
    {
        if (!a.HasData)
        {
            return;
        }

        if (Count == 0)
        {
            (Min, Max) = (a.Min, a.Max);
        }
        else
        {
            Min = Math.Min(Min, a.Min);
            Max = Math.Max(Max, a.Max);
        }

        Sum += a.Sum;
        Count += a.Count;
    }

    public readonly MetricAggregate ToAggregate() =>
        Count == 0 ? default : new MetricAggregate { Sum = (float)Sum, Min = (float)Min, Max = (float)Max, Count = (int)Count };

    /// <summary>
    /// The statistic CloudWatch would answer. SampleCount is the sum, as the twin publishes counts as per-second values;
    /// percentiles (p50, p99…) are approximated by the mean of the per-second values, which are themselves percentiles.
    /// </summary>
    public readonly double Statistic(string stat) => stat switch
    {
        "Sum" or "SampleCount" => Sum,
        "Maximum" => Max,
        "Minimum" => Min,
        _ => Sum / Count,
    };
}

/// <summary>
/// A ring of rows (one per period, <paramref name="width"/> values each) holding the last <paramref name="capacity"/>
/// periods, allocated a chunk of <paramref name="chunkRows"/> rows at a time as periods are written, so that a short run
/// stays small. Periods are numbered by the caller (non-negative); the ring does not know which period a row holds.
/// </summary>
internal sealed class ChunkedRing<T>(int capacity, int width, int chunkRows, T empty)
    where T : struct
{
    private readonly T[]?[] _chunks = new T[]?[(capacity + chunkRows - 1) / chunkRows];

    public int Capacity => capacity;

    /// <summary>Bytes held by the allocated chunks.</summary>
    public long AllocatedBytes => _chunks.Count(c => c is not null) * (long)chunkRows * width * Marshal.SizeOf<T>();

    /// <summary>The row of <paramref name="period"/>, allocating its chunk when needed.</summary>
    public Span<T> Row(long period)
    {
        var i = (int)(period % capacity);
        ref var chunk = ref _chunks[i / chunkRows];
        if (chunk is null)
        {
            chunk = new T[chunkRows * width];
            Array.Fill(chunk, empty);
        }

        return chunk.AsSpan((i % chunkRows) * width, width);
    }

    public T Get(long period, int column)
    {
        var i = (int)(period % capacity);
        var chunk = _chunks[i / chunkRows];
        return chunk is null ? empty : chunk[((i % chunkRows) * width) + column];
    }
}

/// <summary>
/// One retention tier of aggregates: periods of <see cref="PeriodSeconds"/> (numbered from the Unix epoch), one
/// aggregate per series, the last <c>capacity</c> periods. Periods are written in increasing order.
/// </summary>
internal sealed class AggregateTier(int periodSeconds, int capacity, int width, int chunkRows)
{
    private readonly ChunkedRing<MetricAggregate> _ring = new(capacity, width, chunkRows, default);
    private long _first = long.MaxValue;
    private long _last = long.MinValue;

    public int PeriodSeconds => periodSeconds;

    public long AllocatedBytes => _ring.AllocatedBytes;

    public void Write(long period, ReadOnlySpan<MetricAggregate> row)
    {
        row.CopyTo(_ring.Row(period));
        _first = Math.Min(_first, period);
        _last = Math.Max(_last, period);
    }

    /// <summary>The aggregate of <paramref name="series"/> in <paramref name="period"/>; no data when the tier does not hold it.</summary>
    public MetricAggregate Get(long period, int series) =>
        period >= _first && period <= _last && period > _last - capacity ? _ring.Get(period, series) : default;
}
