namespace AWorld.Core.Evidence;

/// <summary>Checks a contiguous slice of the audit chain held in memory (an evidence pack's audit.jsonl).</summary>
internal static class AuditChain
{
    /// <summary>
    /// Null when every entry's hash matches its content, sequences rise by one and each entry links to the one
    /// before; otherwise the first problem in words. The first entry may link to any earlier hash: a drill's
    /// entries are a slice of the console's whole chain.
    /// </summary>
    public static string? Problem(IReadOnlyList<AuditEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!string.Equals(entry.ComputeHash(), entry.Hash, StringComparison.Ordinal))
            {
                return $"entry {entry.Sequence}: its hash does not match its content (altered?)";
            }

            if (i == 0)
            {
                continue;
            }

            var previous = entries[i - 1];
            if (entry.Sequence != previous.Sequence + 1)
            {
                return $"entry {previous.Sequence + 1} missing: sequence jumps from {previous.Sequence} to {entry.Sequence}";
            }

            if (!string.Equals(entry.PreviousHash, previous.Hash, StringComparison.Ordinal))
            {
                return $"entry {entry.Sequence}: previous-hash link broken";
            }
        }

        return null;
    }
}
