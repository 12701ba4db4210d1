using AWorld.Core.Engine;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Anomalies;
using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Anomalies;

/// <summary>An acknowledgement: who saw the anomaly, when, and what they wrote about it.</summary>
public sealed record AnomalyAck(string AnomalyId, string By, string Role, string Note, DateTimeOffset At);

/// <summary>
/// Acknowledging anomaly events with a note. Whoever holds <see cref="Permission.AcknowledgeAnomaly"/> may (everyone
/// who watches the estate); Auditors read only. The first acknowledgement of an event stands; each is stored in SQLite
/// and written to the audit log. Refusals: Forbidden, Invalid (the note), NotFound (the event), Conflict (already
/// acknowledged, or by someone else at the same moment).
/// </summary>
public sealed class AnomalyAcknowledgements(IDbContextFactory<ConsoleDbContext> contexts, AnomalyTracker tracker, AuditLog audit, [FromKeyedServices(EstateClock.Key)] TimeProvider time)
{
    public const int MaxNoteLength = 2000;

    public async Task<Outcome<AnomalyAck>> AcknowledgeAsync(string anomalyId, Actor actor, string? note, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.AcknowledgeAnomaly))
        {
            return Failure.Forbidden($"The {actor.Role} role cannot acknowledge anomalies; it reads them only.");
        }

        note = note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            return Failure.Invalid("Write a note saying what you saw or did (for example \"known batch job, no action\").");
        }

        if (note.Length > MaxNoteLength)
        {
            return Failure.Invalid($"The note has {note.Length} characters; keep it to {MaxNoteLength}.");
        }

        if (tracker.Find(anomalyId) is not { } anomaly)
        {
            return Failure.NotFound($"No anomaly '{anomalyId}' is known (only the last {tracker.Options.MaxEndedEvents} ended events are kept).");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.AnomalyAcks.AsNoTracking().FirstOrDefaultAsync(a => a.AnomalyId == anomalyId, cancellationToken) is { } existing)
        {
            return Failure.Conflict($"Already acknowledged by {existing.By} at {Formats.Utc(new DateTimeOffset(existing.AtTicks, TimeSpan.Zero))}.");
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
            return Failure.Conflict("Someone else acknowledged it at the same moment; reload to see their note.");
        }

        await audit.AppendAsync(actor.Name, actor.Role, "anomaly.acknowledge", anomalyId, "acknowledged", note, cancellationToken);
        return Outcome<AnomalyAck>.Ok(ToAck(row));
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
