namespace AWorld.Core.Operations;

/// <summary>
/// Operations kept in process memory, for headless drills and tools that run the engine without a database. It keeps
/// the store's contract (versions guard every write, one lease with a growing fencing token) but nothing survives the
/// process. Thread-safe: every member takes one lock.
/// </summary>
public sealed class MemoryOperationStore : IOperationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private (string? Holder, long Token, DateTimeOffset Expires) _lease;

    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = operation with { Version = 1 };
            _operations.Add(stored.Id, stored);
            return Task.FromResult(stored);
        }
    }

    public Task<Operation> SaveAsync(Operation operation, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_operations.TryGetValue(operation.Id, out var current) || current.Version != operation.Version)
            {
                throw new OperationConflictException();
            }

            var stored = operation with { Version = operation.Version + 1 };
            _operations[operation.Id] = stored;
            return Task.FromResult(stored);
        }
    }

    public Task<Operation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_operations.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Operation>> ListAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Operation>>(_operations.Values.OrderByDescending(o => o.RequestedAt).ThenByDescending(o => o.Id, StringComparer.Ordinal).Take(count).ToList());
        }
    }

    public Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Operation>>(_operations.Values.Where(o => o.IsOpen).OrderBy(o => o.RequestedAt).ToList());
        }
    }

    public Task<DateTimeOffset?> LastTrafficMoveAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_operations.Values.Where(o => o.MovesTraffic && o.State == OperationState.Completed).Max(o => o.FinishedAt));
        }
    }

    public Task<long?> AcquireLeaseAsync(string operationId, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lease.Holder is null || _lease.Holder == operationId || _lease.Expires <= now)
            {
                var token = _lease.Holder == operationId ? _lease.Token : _lease.Token + 1;
                _lease = (operationId, token, now + ttl);
                return Task.FromResult<long?>(token);
            }

            return Task.FromResult<long?>(null);
        }
    }

    public Task ReleaseLeaseAsync(string operationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lease.Holder == operationId)
            {
                _lease = (null, _lease.Token, DateTimeOffset.MinValue);
            }

            return Task.CompletedTask;
        }
    }
}
