namespace AWorld.Core.Evidence;

/// <summary>
/// The hash-chained, append-only record of who did what. Each entry's hash covers its content and the previous
/// entry's hash, so changing, removing or reordering any stored entry is found by <see cref="VerifyAsync"/>.
/// Thread-safe: appends are serialised (one at a time within this instance), so register one instance per store.
/// Removing the newest entries leaves a shorter chain that still verifies; signed checkpoints of the head hash
/// are what catch that.
/// </summary>
public sealed class AuditLog(IAuditStore store, TimeProvider time) : IDisposable
{
    private const int PageSize = 500;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Appends one entry, timestamped now (UTC), linked to the current head, and returns it.</summary>
    public async Task<AuditEntry> AppendAsync(string actor, string role, string action, string target, string outcome, string? reason = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var last = await store.LastAsync(cancellationToken);
            var unhashed = new AuditEntry(
                (last?.Sequence ?? 0) + 1, time.GetUtcNow().ToUniversalTime(), actor, role, action, target, outcome, reason,
                last?.Hash ?? AuditEntry.GenesisHash, Hash: "");
            var entry = unhashed with { Hash = unhashed.ComputeHash() };
            await store.AppendAsync(entry, cancellationToken);
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-reads the whole chain from entry 1, in pages, and reports the first entry that fails.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var expected = 1L;
        var previousHash = AuditEntry.GenesisHash;
        while (true)
        {
            var page = await store.ReadAsync(expected, PageSize, cancellationToken);
            if (page.Count == 0)
            {
                return new AuditVerification(true, expected - 1, previousHash, null, null);
            }

            foreach (var entry in page)
            {
                if (Problem(entry, expected, previousHash) is { } problem)
                {
                    return new AuditVerification(false, expected - 1, previousHash, expected, problem);
                }

                previousHash = entry.Hash;
                expected++;
            }
        }
    }

    /// <summary>
    /// The newest <paramref name="count"/> entries, newest first, optionally only those whose action starts with
    /// <paramref name="actionPrefix"/> (ordinal). Reads backwards page by page until it has enough.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, string? actionPrefix = null, CancellationToken cancellationToken = default)
    {
        var found = new List<AuditEntry>(Math.Min(count, PageSize));
        var last = await store.LastAsync(cancellationToken);
        var end = last?.Sequence ?? 0;
        while (found.Count < count && end > 0)
        {
            var from = Math.Max(1, end - PageSize + 1);
            var page = await store.ReadAsync(from, (int)(end - from + 1), cancellationToken);
            for (var i = page.Count - 1; i >= 0 && found.Count < count; i--)
            {
                if (actionPrefix is null || page[i].Action.StartsWith(actionPrefix, StringComparison.Ordinal))
                {
                    found.Add(page[i]);
                }
            }

            end = from - 1;
        }

        return found;
    }

    public void Dispose() => _gate.Dispose();

    private static string? Problem(AuditEntry entry, long expected, string previousHash)
    {
        if (entry.Sequence != expected)
        {
            return entry.Sequence > expected
                ? expected == 1
                    ? $"entry 1 missing: the chain starts at {entry.Sequence}"
                    : $"entry {expected} missing: sequence jumps from {expected - 1} to {entry.Sequence}"
                : $"entry {expected} missing: entry {entry.Sequence} appears again after {expected - 1}";
        }

        if (!string.Equals(entry.ComputeHash(), entry.Hash, StringComparison.Ordinal))
        {
            return $"entry {expected}: its hash does not match its content (altered?)";
        }

        return string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal)
            ? null
            : $"entry {expected}: previous-hash link broken";
    }
}
