namespace AWorld.Core.Engine;

/// <summary>
/// Calls back at most once per interval: a signal inside the interval queues one call for its end, and further
/// signals while one is queued or running are dropped (the call reads the latest state when it runs). Time comes
/// from a <see cref="TimeProvider"/>, so tests advance a fake clock instead of sleeping.
/// </summary>
public sealed class CallbackThrottler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Func<Task> _callback;
    private readonly Action<Exception>? _onError;
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastRun;
    private bool _queued;
    private bool _running;
    private bool _disposed;
    private ITimer? _timer;

    public CallbackThrottler(TimeProvider time, TimeSpan interval, Func<Task> callback, Action<Exception>? onError = null)
    {
        _time = time;
        _interval = interval;
        _callback = callback;
        _onError = onError;
    }

    public void Signal()
    {
        lock (_gate)
        {
            if (_disposed || _queued)
            {
                return;
            }

            if (_running)
            {
                _queued = true;
                return;
            }

            var wait = Remaining();
            if (wait > TimeSpan.Zero)
            {
                _queued = true;
                _timer?.Dispose();
                _timer = _time.CreateTimer(_ => OnTimer(), null, wait, Timeout.InfiniteTimeSpan);
                return;
            }

            _running = true;
            _lastRun = _time.GetUtcNow();
        }

        Run();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private TimeSpan Remaining() => _lastRun is { } last ? _interval - (_time.GetUtcNow() - last) : TimeSpan.Zero;

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || _running || !_queued)
            {
                return;
            }

            _queued = false;
            _running = true;
            _lastRun = _time.GetUtcNow();
        }

        Run();
    }

    private void Run()
    {
        Task task;
        try
        {
            task = _callback();
        }
        catch (Exception ex)
        {
            _onError?.Invoke(ex);
            task = Task.CompletedTask;
        }

        if (task.IsCompleted)
        {
            Completed(task);
        }
        else
        {
            task.ContinueWith(Completed, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Completed(Task task)
    {
        if (task.Exception is { } ex)
        {
            _onError?.Invoke(ex.InnerException ?? ex);
        }

        bool again;
        lock (_gate)
        {
            _running = false;
            again = _queued && !_disposed;
            _queued = false;
        }

        if (again)
        {
            Signal();
        }
    }
}
