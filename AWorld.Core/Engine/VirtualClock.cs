namespace AWorld.Core.Engine;

/// <summary>
/// The twin's clock. <see cref="Accelerated"/> follows a real clock at <see cref="Speed"/> virtual seconds per
/// real second (1 = real time) and can change speed without jumping; <see cref="Manual"/> moves only when
/// <see cref="Advance"/> is called, firing due timers in order, so headless runs go as fast as the machine allows.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly TimeProvider? _real;
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _anchorVirtual;
    private DateTimeOffset _anchorReal;
    private double _speed;

    private VirtualClock(TimeProvider? real, DateTimeOffset start, double speed)
    {
        _real = real;
        _anchorVirtual = start;
        _anchorReal = real?.GetUtcNow() ?? default;
        _speed = speed;
    }

    public static VirtualClock Accelerated(TimeProvider real, DateTimeOffset start, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        return new VirtualClock(real, start, speed);
    }

    public static VirtualClock Manual(DateTimeOffset start) => new(null, start, 0);

    public bool IsManual => _real is null;

    /// <summary>Virtual seconds per real second; 0 for a manual clock.</summary>
    public double Speed
    {
        get
        {
            lock (_gate)
            {
                return _speed;
            }
        }

        set
        {
            if (_real is null)
            {
                throw new InvalidOperationException("A manual clock has no speed; call Advance.");
            }

            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_gate)
            {
                // Re-anchor so the virtual time continues from where it is instead of jumping.
                var realNow = _real.GetUtcNow();
                _anchorVirtual = VirtualAt(realNow);
                _anchorReal = realNow;
                _speed = value;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _real is null ? _anchorVirtual : VirtualAt(_real.GetUtcNow());
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>
    /// On an accelerated clock the timer runs on the real clock with its times divided by the speed at creation;
    /// on a manual clock it fires during <see cref="Advance"/>.
    /// </summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (_real is not null)
        {
            var speed = Speed;
            return _real.CreateTimer(callback, state, Scale(dueTime, speed), Scale(period, speed));
        }

        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves a manual clock forward, firing each due timer at its due time, in order.</summary>
    public void Advance(TimeSpan by)
    {
        if (_real is not null)
        {
            throw new InvalidOperationException("An accelerated clock follows the real one; set Speed instead.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _anchorVirtual + by;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt is { } d && d <= target).MinBy(t => t.DueAt);
                if (due is null)
                {
                    _anchorVirtual = target;
                    return;
                }

                _anchorVirtual = due.DueAt!.Value;
                due.DueAt = due.Period > TimeSpan.Zero ? due.DueAt + due.Period : null;
            }

            due.Fire();
        }
    }

    private DateTimeOffset VirtualAt(DateTimeOffset realNow) => _anchorVirtual + ((realNow - _anchorReal) * _speed);

    private static TimeSpan Scale(TimeSpan t, double speed) =>
        t == Timeout.InfiniteTimeSpan ? t : TimeSpan.FromTicks(Math.Max(1, (long)(t.Ticks / speed)));

    private sealed class ManualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._anchorVirtual + dueTime;
                if (!clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
