using System.Collections.Immutable;

namespace AWorld.Core.Engine;

/// <summary>
/// The one way a view goes live: a publisher replaces the current value, subscribers are called back with the latest
/// one, each through its own <see cref="CallbackThrottler"/> (at most once per interval; a call is dropped when one is
/// already queued, and the queued call reads the newest value), so a slow view never holds up the publisher or the
/// others. A subscription ends when disposed. The estate snapshot, the operations board and the drill activity are
/// all streams of this kind.
/// </summary>
/// <typeparam name="T">An immutable value: subscribers read it on other threads.</typeparam>
public class StateStream<T>
    where T : class
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultInterval;
    private readonly TaskCompletionSource<T> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<Subscription> _subscriptions = [];
    private volatile T? _current;

    /// <param name="time">The clock the throttling runs on (a fake one in tests).</param>
    /// <param name="defaultInterval">The least time between two calls of one subscriber; 100 ms when null.</param>
    public StateStream(TimeProvider time, TimeSpan? defaultInterval = null)
    {
        _time = time;
        _defaultInterval = defaultInterval ?? TimeSpan.FromMilliseconds(100);
    }

    /// <summary>The latest value; null until the first publication.</summary>
    public T? Current => _current;

    /// <summary>Completes with the first value ever published.</summary>
    public Task<T> First => _first.Task;

    public int SubscriberCount => _subscriptions.Length;

    public void Publish(T value)
    {
        _current = value;
        _first.TrySetResult(value);
        foreach (var subscription in _subscriptions)
        {
            subscription.Throttler.Signal();
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with the latest value after publications, at most once per
    /// <paramref name="minInterval"/>; at once when a value is already there. Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(Func<T, Task> onChange, TimeSpan? minInterval = null, Action<Exception>? onError = null)
    {
        var throttler = new CallbackThrottler(_time, minInterval ?? _defaultInterval, () => _current is { } value ? onChange(value) : Task.CompletedTask, onError);
        var subscription = new Subscription(this, throttler);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        if (_current is not null)
        {
            throttler.Signal();
        }

        return subscription;
    }

    private sealed class Subscription(StateStream<T> stream, CallbackThrottler throttler) : IDisposable
    {
        public CallbackThrottler Throttler { get; } = throttler;

        public void Dispose()
        {
            Throttler.Dispose();
            ImmutableInterlocked.Update(ref stream._subscriptions, list => list.Remove(this));
        }
    }
}
