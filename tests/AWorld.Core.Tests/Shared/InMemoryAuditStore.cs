using AWorld.Core.Evidence;

namespace AWorld.Core.Tests.Shared;

/// <summary>
/// An audit store in a list, for tests only. <see cref="Entries"/> is open so a test can tamper with the stored chain
/// the way someone with access to the database could. Every call yields first, so that unserialised callers would
/// interleave.
/// </summary>
internal sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();

    public List<AuditEntry> Entries { get; } = [];

    public async Task<AuditEntry?> LastAsync(CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        lock (_lock)
        {
            return Entries.MaxBy(e => e.Sequence);
        }
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        lock (_lock)
        {
            var next = (Entries.MaxBy(e => e.Sequence)?.Sequence ?? 0) + 1;
            if (entry.Sequence != next)
            {
                throw new AuditSequenceException(next, entry.Sequence);
            }

            Entries.Add(entry);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        lock (_lock)
        {
            return Entries.Where(e => e.Sequence >= fromSequence).OrderBy(e => e.Sequence).Take(count).ToList();
        }
    }
}
