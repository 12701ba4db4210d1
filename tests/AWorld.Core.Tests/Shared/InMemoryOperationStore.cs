using AWorld.Core.Operations;

namespace AWorld.Core.Tests.Shared;

/// <summary>The operation store's contract in memory, for engine tests (the console's SQLite store has its own tests).</summary>
internal sealed class InMemoryOperationStore : IOperationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Operation> _operations = [];
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
            if (_operations[operation.Id].Version != operation.Version)
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
            return Task.FromResult<IReadOnlyList<Operation>>(_operations.Values.OrderByDescending(o => o.RequestedAt).Take(count).ToList());
        }
    }

    public Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Operation>>(_operations.Values.Where(o => o.IsOpen).ToList());
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
