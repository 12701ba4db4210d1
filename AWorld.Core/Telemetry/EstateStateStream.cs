using System.Collections.Immutable;

namespace AWorld.Core.Telemetry;

/// <summary>
/// The one state stream: the monitor publishes each new <see cref="EstateSnapshot"/>, views subscribe. Each
/// subscription is throttled on its own (a slow view never holds up the others or the publisher) and ends when
/// disposed.
/// </summary>
public sealed class EstateStateStream
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultInterval;
    private readonly TaskCompletionSource<EstateSnapshot> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<Subscription> _subscriptions = [];
    private volatile EstateSnapshot? _current;

    public EstateStateStream(TimeProvider time, TimeSpan? defaultInterval = null)
    {
        _time = time;
        _defaultInterval = defaultInterval ?? TimeSpan.FromMilliseconds(100);
    }

    /// <summary>The latest snapshot; null until the first poll completes.</summary>
    public EstateSnapshot? Current => _current;

    /// <summary>Completes with the first snapshot ever published.</summary>
    public Task<EstateSnapshot> FirstSnapshot => _first.Task;

    public int SubscriberCount => _subscriptions.Length;

    public void Publish(EstateSnapshot snapshot)
    {
        _current = snapshot;
        _first.TrySetResult(snapshot);
        foreach (var subscription in _subscriptions)
        {
            subscription.Throttler.Signal();
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with the latest snapshot after publications, at most once per
    /// <paramref name="minInterval"/> (default 100 ms). Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(Func<EstateSnapshot, Task> onChange, TimeSpan? minInterval = null, Action<Exception>? onError = null)
    {
        Subscription? subscription = null;
        var throttler = new CallbackThrottler(_time, minInterval ?? _defaultInterval, () => _current is { } s ? onChange(s) : Task.CompletedTask, onError);
        subscription = new Subscription(this, throttler);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        if (_current is not null)
        {
            throttler.Signal();
        }

        return subscription;
    }

    private sealed class Subscription(EstateStateStream stream, CallbackThrottler throttler) : IDisposable
    {
        public CallbackThrottler Throttler { get; } = throttler;

        public void Dispose()
        {
            Throttler.Dispose();
            ImmutableInterlocked.Update(ref stream._subscriptions, list => list.Remove(this));
        }
    }
}
