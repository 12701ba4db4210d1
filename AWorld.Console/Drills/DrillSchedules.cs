using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Engine;
using AWorld.Core.Evidence;
using Cronos;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Drills;

/// <summary>A schedule as the page and the API show it, with whether it is overdue.</summary>
public sealed record DrillScheduleView(int Id, string Cron, string Scenario, string Region, string Policy, bool Enabled, string CreatedBy, DateTimeOffset NextRun, DateTimeOffset? LastRun, string? LastDrillId, bool Overdue);

/// <summary>A warning that a drill is late: a schedule that did not run, or a report's next drill date that has passed.</summary>
public sealed record DrillOverdue(string Scenario, string Region, DateTimeOffset DueSince, string Reason);

/// <summary>
/// Recurring drills: a five-field cron expression in UTC ("0 3 * * 1" = Mondays 03:00), a scenario, a region and a
/// policy. <see cref="RunDueAsync"/> runs every due schedule at full speed (the hosted <see cref="DrillScheduler"/>
/// calls it each minute) and moves it to its next occurrence. Operators and Admins manage schedules.
/// </summary>
public sealed class DrillSchedules(
    IDbContextFactory<ConsoleDbContext> contexts,
    DrillCommands drills,
    DrillRepository repository,
    AuditLog audit,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time)
{
    /// <summary>How late a schedule may run before it counts as overdue.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public static readonly Actor SchedulerActor = new("aworld-drill-scheduler", "System");

    public async Task<Outcome<string>> AddAsync(string? cron, DrillRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.RunDrill))
        {
            return Failure.Forbidden($"Only an Operator or an Admin may schedule drills; you are {actor.Role}.");
        }

        if (!CronExpression.TryParse(cron ?? "", CronFormat.Standard, out var expression))
        {
            return Failure.Invalid($"cron '{cron}' is not a five-field cron expression (minute hour day-of-month month day-of-week, UTC), e.g. \"0 3 * * 1\" for Mondays at 03:00.");
        }

        var parsed = drills.Parse(request with { Mode = "full-speed" });
        if (!parsed.Succeeded)
        {
            return parsed.Failure!;
        }

        var plan = parsed.Value.Plan;
        var now = time.GetUtcNow();
        if (expression.GetNextOccurrence(now, TimeZoneInfo.Utc) is not { } next)
        {
            return Failure.Invalid($"cron '{cron}' never fires again.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new DrillScheduleRow
        {
            Cron = cron!.Trim(),
            Scenario = plan.Definition.Name,
            Region = plan.TargetRegion,
            Policy = plan.Policy.ToString(),
            CreatedBy = actor.Name,
            CreatedAtTicks = now.UtcTicks,
            NextRunTicks = next.UtcTicks,
        };
        db.DrillSchedules.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.Name, actor.Role, "drill.schedule", $"schedule {row.Id}", "created", $"{row.Cron}: {row.Scenario} on {row.Region} ({row.Policy})", cancellationToken);
        return Outcome<string>.Ok(row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<Outcome<string>> RemoveAsync(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.RunDrill))
        {
            return Failure.Forbidden($"Only an Operator or an Admin may change drill schedules; you are {actor.Role}.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.DrillSchedules.FindAsync([id], cancellationToken) is not { } row)
        {
            return Failure.NotFound($"No drill schedule has id {id}.");
        }

        db.DrillSchedules.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.Name, actor.Role, "drill.schedule", $"schedule {id}", "removed", $"{row.Cron}: {row.Scenario} on {row.Region}", cancellationToken);
        return Outcome<string>.Ok(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<DrillScheduleView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.DrillSchedules.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DrillScheduleView(r.Id, r.Cron, r.Scenario, r.Region, r.Policy, r.Enabled, r.CreatedBy,
            new DateTimeOffset(r.NextRunTicks, TimeSpan.Zero), r.LastRunTicks is { } l ? new DateTimeOffset(l, TimeSpan.Zero) : null, r.LastDrillId,
            r.Enabled && now - new DateTimeOffset(r.NextRunTicks, TimeSpan.Zero) > Grace))];
    }

    /// <summary>
    /// Late drills: enabled schedules more than <see cref="Grace"/> past their run, and scenario/region pairs whose
    /// newest completed report set a next drill date that has passed without a newer drill.
    /// </summary>
    public async Task<IReadOnlyList<DrillOverdue>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var late = (await ListAsync(cancellationToken)).Where(s => s.Overdue)
            .Select(s => new DrillOverdue(s.Scenario, s.Region, s.NextRun, $"schedule {s.Id} ({s.Cron}) should have run at {s.NextRun:yyyy-MM-dd HH:mm} UTC"))
            .ToList();
        var completed = await repository.NextDatesAsync(cancellationToken);
        foreach (var newest in completed.GroupBy(d => (d.Scenario, d.Region)).Select(g => g.MaxBy(d => d.StartedAtTicks)))
        {
            var due = new DateTimeOffset(newest.NextDrillDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (due < now && !late.Any(l => l.Scenario == newest.Scenario && l.Region == newest.Region))
            {
                late.Add(new DrillOverdue(newest.Scenario, newest.Region, due, $"the report of {newest.Id} set the next drill for {newest.NextDrillDate:yyyy-MM-dd}"));
            }
        }

        return late;
    }

    /// <summary>Runs every enabled schedule that is due (bounded to 20 per call) and moves each to its next occurrence.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        List<DrillScheduleRow> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            due = await db.DrillSchedules.Where(s => s.Enabled && s.NextRunTicks <= now.UtcTicks).OrderBy(s => s.NextRunTicks).Take(20).ToListAsync(cancellationToken);
            foreach (var row in due)
            {
                // Missed occurrences (the console was down) collapse into this one run.
                var next = CronExpression.Parse(row.Cron, CronFormat.Standard).GetNextOccurrence(now, TimeZoneInfo.Utc);
                row.NextRunTicks = next?.UtcTicks ?? DateTimeOffset.MaxValue.UtcTicks;
                row.LastRunTicks = now.UtcTicks;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var row in due)
        {
            var result = await drills.StartAsync(new DrillRequest(row.Scenario, row.Region, row.Policy, "full-speed"), SchedulerActor, "scheduled", cancellationToken);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await db.DrillSchedules.FindAsync([row.Id], cancellationToken) is { } stored)
            {
                stored.LastDrillId = result.Value ?? $"failed: {result.Failure?.Message}";
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return due.Count;
    }
}

/// <summary>Runs due drill schedules once a minute of estate time.</summary>
public sealed partial class DrillScheduler(DrillSchedules schedules, [FromKeyedServices(EstateClock.Key)] TimeProvider time, IOptions<ConsoleOptions> console, ILogger<DrillScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!console.Value.DriverEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await schedules.RunDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Running due drill schedules failed; trying again in a minute.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
