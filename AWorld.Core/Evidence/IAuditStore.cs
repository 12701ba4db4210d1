namespace AWorld.Core.Evidence;

/// <summary>
/// Where the audit chain is kept. The store is append-only: it never changes or removes an entry, and it refuses an
/// entry whose <see cref="AuditEntry.Sequence"/> is not the last one plus one. It does not check hashes; that is
/// <see cref="AuditLog"/>'s job, so that a store tampered with underneath is still caught by verification.
/// </summary>
public interface IAuditStore
{
    /// <summary>The entry with the highest sequence, or null when the chain is empty.</summary>
    Task<AuditEntry?> LastAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="entry"/>. Throws <see cref="AuditSequenceException"/> when its sequence is not the
    /// last one plus one (1 for an empty store); nothing is stored then.
    /// </summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> entries with sequence from <paramref name="fromSequence"/> on, in ascending sequence order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromSequence, int count, CancellationToken cancellationToken = default);
}

/// <summary>An append that would leave a gap or overwrite an entry; the store refused it.</summary>
public sealed class AuditSequenceException : InvalidOperationException
{
    public AuditSequenceException()
    {
    }

    public AuditSequenceException(string message)
        : base(message)
    {
    }

    public AuditSequenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AuditSequenceException(long expected, long actual)
        : base($"The audit store is append-only: the next entry must be {expected}, not {actual}.")
    {
    }
}
