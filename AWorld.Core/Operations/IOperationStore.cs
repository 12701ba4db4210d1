namespace AWorld.Core.Operations;

/// <summary>Thrown when a write finds the operation changed since it was read (another writer won).</summary>
public sealed class OperationConflictException(string message) : Exception(message)
{
    public OperationConflictException()
        : this("The operation was changed by someone else.")
    {
    }

    public OperationConflictException(string message, Exception inner)
        : this(message + " " + inner.Message)
    {
    }
}

/// <summary>Where operations live; the console keeps them in its database so that a restart resumes them.</summary>
public interface IOperationStore
{
    /// <summary>Adds a new operation (Version 0 → stored as 1).</summary>
    Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="operation"/> if the stored one still has its Version; returns it with Version + 1.</summary>
    /// <exception cref="OperationConflictException">Someone else saved it first.</exception>
    Task<Operation> SaveAsync(Operation operation, CancellationToken cancellationToken);

    Task<Operation?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Most recent first.</summary>
    Task<IReadOnlyList<Operation>> ListAsync(int count, CancellationToken cancellationToken);

    Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken);

    /// <summary>When the last traffic move finished, for the cooldown rule.</summary>
    Task<DateTimeOffset?> LastTrafficMoveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the one execution lease for <paramref name="operationId"/> if it is free, expired or already this
    /// operation's; returns a fencing token that grows with every new holder, or null when another holds it.
    /// </summary>
    Task<long?> AcquireLeaseAsync(string operationId, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(string operationId, CancellationToken cancellationToken);
}
