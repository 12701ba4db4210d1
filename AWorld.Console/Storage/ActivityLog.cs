using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>Appends and reads the record of who did what. Entries are never changed or removed.</summary>
public sealed class ActivityLog(IDbContextFactory<ConsoleDbContext> contexts, TimeProvider time)
{
    public async Task RecordAsync(string actor, string role, string action, string target, string outcome, string? reason = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Activities.Add(new ActivityRecord { At = time.GetUtcNow(), Actor = actor, Role = role, Action = action, Target = target, Outcome = outcome, Reason = reason });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ActivityRecord>> RecentAsync(int count, string? actionPrefix = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Activities.AsNoTracking();
        if (actionPrefix is not null)
        {
            query = query.Where(a => a.Action.StartsWith(actionPrefix));
        }

        return await query.OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
    }
}
