namespace AWorld.Core.Evidence;

/// <summary>
/// An append-only audit store in process memory, for headless drills: the chain is built and verified exactly as in
/// the console's database, and handed over (e.g. into an evidence pack) before the process ends. Thread-safe.
/// </summary>
public sealed class MemoryAuditStore : IAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<AuditEntry> _entries = [];

    public Task<AuditEntry?> LastAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.Count == 0 ? null : _entries[^1]);
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var next = _entries.Count + 1L;
            if (entry.Sequence != next)
            {
                throw new AuditSequenceException(next, entry.Sequence);
            }

            _entries.Add(entry);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var from = (int)Math.Clamp(fromSequence - 1, 0, _entries.Count);
            return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.GetRange(from, Math.Clamp(count, 0, _entries.Count - from)));
        }
    }
}
