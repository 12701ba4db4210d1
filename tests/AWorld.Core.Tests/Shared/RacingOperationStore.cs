using AWorld.Core.Operations;

namespace AWorld.Core.Tests.Shared;

/// <summary>A store that lets someone else write first: <see cref="BeforeNextSave"/> runs once, just before the next save.</summary>
internal sealed class RacingOperationStore(IOperationStore inner) : IOperationStore
{
    public Func<Task>? BeforeNextSave { get; set; }

    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken) => inner.AddAsync(operation, cancellationToken);

    public async Task<Operation> SaveAsync(Operation operation, CancellationToken cancellationToken)
    {
        if (BeforeNextSave is { } race)
        {
            BeforeNextSave = null;
            await race();
        }

        return await inner.SaveAsync(operation, cancellationToken);
    }

    public Task<Operation?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Operation>> ListAsync(int count, CancellationToken cancellationToken) => inner.ListAsync(count, cancellationToken);

    public Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    public Task<DateTimeOffset?> LastTrafficMoveAsync(CancellationToken cancellationToken) => inner.LastTrafficMoveAsync(cancellationToken);

    public Task<long?> AcquireLeaseAsync(string operationId, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.AcquireLeaseAsync(operationId, now, ttl, cancellationToken);

    public Task ReleaseLeaseAsync(string operationId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(operationId, cancellationToken);
}
