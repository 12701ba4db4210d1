using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>The audit chain in the console's SQLite database. Only inserts; the sequence check and the insert share one transaction.</summary>
public sealed class EfAuditStore(IDbContextFactory<ConsoleDbContext> contexts) : IAuditStore
{
    public async Task<AuditEntry?> LastAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToEntry(row);
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is taken before the check, so no other
        // writer can slip an entry in between.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var next = ((await db.AuditEntries.MaxAsync(a => (long?)a.Sequence, cancellationToken)) ?? 0) + 1;
        if (entry.Sequence != next)
        {
            throw new AuditSequenceException(next, entry.Sequence);
        }

        db.AuditEntries.Add(new AuditRow
        {
            Sequence = entry.Sequence,
            At = entry.At,
            Actor = entry.Actor,
            Role = entry.Role,
            Action = entry.Action,
            Target = entry.Target,
            Outcome = entry.Outcome,
            Reason = entry.Reason,
            PreviousHash = entry.PreviousHash,
            Hash = entry.Hash,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Sequence >= fromSequence)
            .OrderBy(a => a.Sequence)
            .Take(count)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(ToEntry);
    }

    private static AuditEntry ToEntry(AuditRow row) =>
        new(row.Sequence, row.At, row.Actor, row.Role, row.Action, row.Target, row.Outcome, row.Reason, row.PreviousHash, row.Hash);
}
