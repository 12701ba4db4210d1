namespace AWorld.Core.Anomalies;

/// <summary>
/// One seasonal model of a series (additive Holt-Winters with time-based forgetting): a slow level and, per
/// bucket of the period (time of day, time of week), an exponentially forgotten mean of the value's offset from
/// that level. It predicts level + offset of the point's bucket. Forgetting is measured in time, not points, so
/// a series sampled every second and one sampled every hour learn at the same pace per period, and gaps or
/// irregular timestamps need no special case: a bucket nobody visited borrows from its nearest visited neighbours,
/// and an empty neighbourhood predicts the level.
/// </summary>
internal sealed class SeasonalProfile
{
    /// <summary>Level time constant, as a share of the period: slow enough to leave the curve to the buckets.</summary>
    private const double LevelShare = 0.25;

    /// <summary>Bucket memory, in periods: an offset is the forgotten mean of roughly the last few cycles.</summary>
    private const double OffsetPeriods = 3;

    /// <summary>Buckets each side a prediction may borrow from when its own bucket has not been visited enough.</summary>
    private const int Reach = 3;

    private readonly long _periodTicks;
    private readonly long _bucketTicks;
    private readonly double[] _sum;
    private readonly double[] _weight;
    private readonly long[] _updated;
    private long _lastTicks;
    private bool _started;

    public SeasonalProfile(TimeSpan period, int buckets)
    {
        _periodTicks = period.Ticks;
        _bucketTicks = period.Ticks / buckets;
        _sum = new double[buckets];
        _weight = new double[buckets];
        _updated = new long[buckets];
    }

    public TimeSpan Period => TimeSpan.FromTicks(_periodTicks);

    /// <summary>The deseasonalised level.</summary>
    public double Level { get; private set; }

    /// <summary>The value expected at <paramref name="ticks"/> (UTC ticks): the level plus the bucket's offset.</summary>
    public double Expected(long ticks) => Level + Offset(Bucket(ticks), ticks);

    /// <summary>Learns the value at <paramref name="ticks"/>, given what <see cref="Expected"/> said for it.</summary>
    public void Update(long ticks, double value, double expected)
    {
        if (!_started)
        {
            Level = value;
            _lastTicks = ticks;
            _started = true;
        }

        var bucket = Bucket(ticks);
        var offset = expected - Level;
        // Clock steps back (a repeated hour) count as no time passing.
        var elapsed = Math.Max(0, ticks - _lastTicks);
        _lastTicks = Math.Max(_lastTicks, ticks);
        var alpha = 1 - Math.Exp(-elapsed / (LevelShare * _periodTicks));
        Level += alpha * (value - offset - Level);

        var keep = Forget(bucket, ticks);
        _sum[bucket] = (_sum[bucket] * keep) + (value - Level);
        _weight[bucket] = (_weight[bucket] * keep) + 1;
        _updated[bucket] = ticks;
    }

    private int Bucket(long ticks)
    {
        var phase = ticks % _periodTicks;
        if (phase < 0)
        {
            phase += _periodTicks;
        }

        return (int)Math.Min(_sum.Length - 1, phase / _bucketTicks);
    }

    private double Forget(int bucket, long ticks)
    {
        var elapsed = Math.Max(0, ticks - _updated[bucket]);
        return Math.Exp(-elapsed / (OffsetPeriods * _periodTicks));
    }

    /// <summary>The bucket's offset, or the weighted mean of its nearest visited neighbours; 0 when none was visited.</summary>
    private double Offset(int bucket, long ticks)
    {
        var n = _sum.Length;
        double sum = 0;
        double weight = 0;
        for (var d = 0; d <= Reach && weight < 0.5; d++)
        {
            for (var side = d == 0 ? 1 : -1; side <= 1; side += 2)
            {
                var b = (((bucket + (side * d)) % n) + n) % n;
                var keep = Forget(b, ticks);
                sum += _sum[b] * keep;
                weight += _weight[b] * keep;
            }
        }

        return weight > 1e-9 ? sum / weight : 0;
    }
}
