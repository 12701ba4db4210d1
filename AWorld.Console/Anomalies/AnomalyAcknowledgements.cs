using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Anomalies;
using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Anomalies;

/// <summary>An acknowledgement: who saw the anomaly, when, and what they wrote about it.</summary>
public sealed record AnomalyAck(string AnomalyId, string By, string Role, string Note, DateTimeOffset At);

/// <summary>The outcome of an acknowledgement: the stored one, or why it was refused (Forbidden, NotFound or a bad note).</summary>
public sealed record AckResult(AnomalyAck? Ack, string? Error, bool Forbidden = false, bool NotFound = false)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Acknowledging anomaly events with a note. Everyone who watches the estate may acknowledge (Viewer, Operator,
/// Approver, Admin); Auditors read only. The first acknowledgement of an event stands; each is stored in SQLite
/// and written to the audit log.
/// </summary>
public sealed class AnomalyAcknowledgements(IDbContextFactory<ConsoleDbContext> contexts, AnomalyTracker tracker, AuditLog audit, [FromKeyedServices(EstateClock.Key)] TimeProvider time)
{
    public const int MaxNoteLength = 2000;

    public static bool MayAcknowledge(Actor actor) => actor.Role is RoleNames.Viewer or RoleNames.Operator or RoleNames.Approver or RoleNames.Admin;

    public async Task<AckResult> AcknowledgeAsync(string anomalyId, Actor actor, string? note, CancellationToken cancellationToken = default)
    {
        if (!MayAcknowledge(actor))
        {
            return new AckResult(null, $"The {actor.Role} role cannot acknowledge anomalies; it reads them only.", Forbidden: true);
        }

        note = note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            return new AckResult(null, "Write a note saying what you saw or did (for example \"known batch job, no action\").");
        }

        if (note.Length > MaxNoteLength)
        {
            return new AckResult(null, $"The note has {note.Length} characters; keep it to {MaxNoteLength}.");
        }

        if (tracker.Find(anomalyId) is not { } anomaly)
        {
            return new AckResult(null, $"No anomaly '{anomalyId}' is known (only the last {tracker.Options.MaxEndedEvents} ended events are kept).", NotFound: true);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.AnomalyAcks.AsNoTracking().FirstOrDefaultAsync(a => a.AnomalyId == anomalyId, cancellationToken) is { } existing)
        {
            return new AckResult(ToAck(existing), $"Already acknowledged by {existing.By} at {Formats.Utc(new DateTimeOffset(existing.AtTicks, TimeSpan.Zero))}.");
        }

        var row = new AnomalyAckRow { AnomalyId = anomalyId, SeriesKey = anomaly.SeriesKey, By = actor.Name, Role = actor.Role, Note = note, AtTicks = time.GetUtcNow().UtcTicks };
        db.AnomalyAcks.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two people acknowledged at once: the first stands.
            return new AckResult(null, "Someone else acknowledged it at the same moment; reload to see their note.");
        }

        await audit.AppendAsync(actor.Name, actor.Role, "anomaly.acknowledge", anomalyId, "acknowledged", note, cancellationToken);
        return new AckResult(ToAck(row), null);
    }

    /// <summary>The acknowledgements of the given events, by event id.</summary>
    public async Task<IReadOnlyDictionary<string, AnomalyAck>> ForAsync(IReadOnlyCollection<string> anomalyIds, CancellationToken cancellationToken = default)
    {
        if (anomalyIds.Count == 0)
        {
            return new Dictionary<string, AnomalyAck>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.AnomalyAcks.AsNoTracking().Where(a => anomalyIds.Contains(a.AnomalyId)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.AnomalyId, ToAck, StringComparer.Ordinal);
    }

    private static AnomalyAck ToAck(AnomalyAckRow r) => new(r.AnomalyId, r.By, r.Role, r.Note, new DateTimeOffset(r.AtTicks, TimeSpan.Zero));
}
