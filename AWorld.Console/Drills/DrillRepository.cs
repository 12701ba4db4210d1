using AWorld.Core;
using AWorld.Console.Storage;
using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Drills;

/// <summary>
/// Where the console keeps its drills: one row per drill (Running → Completed or Failed) with its report and audit
/// slice, and the signed evidence pack written through the <see cref="EvidenceArchive"/> when a drill completes or is
/// signed off. It is the live host's <see cref="IDrillRecorder"/>, so a live drill is stored the moment it starts and
/// ends. Decides nothing about who may do what: <see cref="DrillCommands"/> does.
/// </summary>
public sealed class DrillRepository(
    IDbContextFactory<ConsoleDbContext> contexts,
    EvidenceArchive archive,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time) : IDrillRecorder
{
    public const string LiveMode = "live";

    public async Task StartedAsync(DrillSession session, DrillStart start, CancellationToken cancellationToken) =>
        await AddRunningAsync(session.DrillId, session.Plan, LiveMode, start.Actor.Name, session.StartedAt, cancellationToken);

    public async Task CompletedAsync(DrillOutcome outcome, CancellationToken cancellationToken) =>
        await CompleteAsync(outcome.Report.DrillId, outcome.Report, outcome.Audit, outcome.Report.EndedAt, cancellationToken);

    public async Task FailedAsync(string drillId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Drills.FindAsync([drillId], cancellationToken) is { } row)
        {
            row.State = DrillRunState.Failed;
            row.Verdict = $"The drill could not be completed: {reason}";
            row.EndedAtTicks = time.GetUtcNow().UtcTicks;
            row.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Stores a drill that already ran elsewhere (at full speed): its row, then its pack.</summary>
    public async Task AddCompletedAsync(DrillOutcome outcome, string mode, string startedBy, DateTimeOffset startedAt, DateTimeOffset endedAt, CancellationToken cancellationToken = default)
    {
        var report = outcome.Report;
        await AddRunningAsync(report.DrillId, PlanOf(report), mode, startedBy, startedAt, cancellationToken);
        await CompleteAsync(report.DrillId, report, outcome.Audit, endedAt, cancellationToken);
    }

    /// <summary>Records a sign-off on a completed drill and writes its pack again with the sign-off in it.</summary>
    public async Task<Outcome<DrillReport>> SignOffAsync(string drillId, string by, string role, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Drills.FindAsync([drillId], cancellationToken) is not { } row)
        {
            return Failure.NotFound($"No drill has id '{drillId}'.");
        }

        if (row.State != DrillRunState.Completed || row.ReportJson is null || row.AuditJson is null)
        {
            return Failure.Conflict($"Drill {drillId} is {row.State}; only a completed drill's report can be signed off.");
        }

        if (row.SignedOffBy is not null)
        {
            return Failure.Conflict($"Drill {drillId} was signed off by {row.SignedOffBy} already.");
        }

        var now = time.GetUtcNow();
        var (signed, missing) = DrillReportJson.Read(row.ReportJson).TrySignOff(by, role, now);
        if (signed is null)
        {
            return Failure.Refused($"The report cannot be signed off while these required fields are empty: {string.Join(", ", missing)}.");
        }

        row.SignedOffBy = by;
        row.SignedOffAtTicks = now.UtcTicks;
        row.ReportJson = DrillReportJson.Write(signed);
        row.Version++;
        await db.SaveChangesAsync(cancellationToken);
        await archive.WriteAsync(drillId, signed, DrillReportJson.ReadAudit(row.AuditJson), cancellationToken);
        return Outcome<DrillReport>.Ok(signed);
    }

    /// <summary>
    /// Marks drills a previous run of the console left Running as Failed: a live drill's measurements live in memory,
    /// so a restart ends it. Called once at start, after the schema is migrated and before anything can start a drill.
    /// </summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stuck = await db.Drills.Where(d => d.State == DrillRunState.Running).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var row in stuck)
        {
            row.State = DrillRunState.Failed;
            row.EndedAtTicks = now.UtcTicks;
            row.Verdict = "Interrupted: the console restarted while the drill ran; its measurements were lost. Run it again.";
            row.Version++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return stuck.Count;
    }

    /// <summary>The drills, newest first (at most <paramref name="count"/>), without their report bodies.</summary>
    public async Task<IReadOnlyList<DrillRunRow>> HistoryAsync(int count = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Drills.AsNoTracking().OrderByDescending(d => d.StartedAtTicks).Take(count)
            .Select(d => new DrillRunRow
            {
                Id = d.Id, Scenario = d.Scenario, Region = d.Region, Policy = d.Policy, Mode = d.Mode, StartedBy = d.StartedBy,
                StartedAtTicks = d.StartedAtTicks, EndedAtTicks = d.EndedAtTicks, State = d.State, Passed = d.Passed,
                DetectionSeconds = d.DetectionSeconds, RtoSeconds = d.RtoSeconds, RpoSeconds = d.RpoSeconds, Verdict = d.Verdict,
                PackFile = d.PackFile, ManifestSha256 = d.ManifestSha256, PreviousManifestSha256 = d.PreviousManifestSha256,
                SignedOffBy = d.SignedOffBy, SignedOffAtTicks = d.SignedOffAtTicks, Version = d.Version,
            })
            .ToListAsync(cancellationToken);
    }

    /// <summary>One drill's report, or null when it has none (yet).</summary>
    public async Task<DrillReport?> ReportAsync(string drillId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = await db.Drills.AsNoTracking().Where(d => d.Id == drillId).Select(d => d.ReportJson).FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : DrillReportJson.Read(json);
    }

    /// <summary>Completed drills that set a next drill date: for overdue checks, without reading any report.</summary>
    public async Task<IReadOnlyList<(string Id, string Scenario, string Region, long StartedAtTicks, DateOnly NextDrillDate)>> NextDatesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Drills.AsNoTracking().Where(d => d.State == DrillRunState.Completed && d.NextDrillDate != null)
            .Select(d => new { d.Id, d.Scenario, d.Region, d.StartedAtTicks, d.NextDrillDate })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.Scenario, r.Region, r.StartedAtTicks, r.NextDrillDate!.Value))];
    }

    private async Task AddRunningAsync(string id, (string Scenario, string Region, string Policy) plan, string mode, string startedBy, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Drills.Add(new DrillRunRow
        {
            Id = id,
            Scenario = plan.Scenario,
            Region = plan.Region,
            Policy = plan.Policy,
            Mode = mode,
            StartedBy = startedBy,
            StartedAtTicks = startedAt.UtcTicks,
            State = DrillRunState.Running,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private Task AddRunningAsync(string id, DrillPlan plan, string mode, string startedBy, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        AddRunningAsync(id, (plan.Definition.Name, plan.TargetRegion, plan.Policy.ToString()), mode, startedBy, startedAt, cancellationToken);

    private async Task CompleteAsync(string id, DrillReport report, IReadOnlyList<AuditEntry> entries, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.Drills.SingleAsync(d => d.Id == id, cancellationToken);
            row.State = DrillRunState.Completed;
            row.EndedAtTicks = endedAt.UtcTicks;
            row.Passed = report.Passed;
            row.DetectionSeconds = report.Detection?.TotalSeconds;
            row.RtoSeconds = report.Rto.Achieved?.TotalSeconds;
            row.RpoSeconds = report.Rpo.Achieved?.TotalSeconds;
            row.Verdict = report.Verdict;
            row.NextDrillDate = report.NextDrillDate;
            row.ReportJson = DrillReportJson.Write(report);
            row.AuditJson = DrillReportJson.WriteAudit(entries);
            row.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }

        await archive.WriteAsync(id, report, entries, cancellationToken);
    }

    private static (string Scenario, string Region, string Policy) PlanOf(DrillReport report) =>
        (DrillScenarios.Get(report.Scenario).Name, report.TargetRegion, report.Policy.ToString());
}
