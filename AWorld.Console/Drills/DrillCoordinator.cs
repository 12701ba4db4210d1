using System.Collections.Concurrent;
using System.Collections.Immutable;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Drills;

/// <summary>What the Drills page and the API ask for: a scenario on a region, the response policy, where to run it.</summary>
public sealed record DrillRequest(string? Scenario, string? Region, string? Policy, string? Mode, long? Seed = null);

/// <summary>The outcome of a drill command: the drill's id, or why it was refused.</summary>
public sealed record DrillCommandResult(string? DrillId, string? Error, bool Forbidden = false, bool NotFound = false)
{
    public bool Succeeded => Error is null;
}

/// <summary>The live drill now running on the console's twin: its plan, start and timeline so far.</summary>
public sealed record LiveDrillView(string DrillId, DrillPlan Plan, DateTimeOffset StartedAt, ImmutableArray<DrillTimelineEvent> Timeline, DrillMeasurements Measurements);

/// <summary>
/// Runs drills for the console and keeps their history and evidence. A live drill runs on the console's own twin:
/// its faults go in through the fault injector, the ladder and people respond as in any incident (approvals on the
/// Operations page), and the driver feeds a <see cref="DrillObserver"/> after each poll. A full-speed drill runs the
/// headless <see cref="DrillRunner"/> on a fresh twin (what schedules use). Either way the report and its signed
/// evidence pack are stored. Who may do what is decided here: Operators and Admins run drills, Approvers and Admins
/// sign reports off; everyone else reads.
/// </summary>
/// <remarks>Thread-safe. One live drill at a time.</remarks>
public sealed partial class DrillCoordinator(
    EstateTopology estate,
    IServiceProvider services,
    IDbContextFactory<ConsoleDbContext> contexts,
    EvidenceArchive archive,
    AuditLog audit,
    IAuditStore auditStore,
    OperationService operations,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time,
    ILogger<DrillCoordinator> logger)
{
    private readonly Lock _gate = new();
    private readonly EstateTwin? _twin = services.GetService<EstateTwin>();
    private readonly ConcurrentDictionary<string, byte> _mine = new(StringComparer.Ordinal);
    private LiveDrill? _live;
    private LiveDrillView? _view;
    private bool _starting;

    /// <summary>Raised (on any thread) when a drill starts, moves on its timeline, or ends.</summary>
    public event Action? Changed;

    /// <summary>Operators and Admins; and the console itself (the drill scheduler), whose System role no account can hold.</summary>
    public static bool MayRun(Actor actor) => actor.Role is RoleNames.Operator or RoleNames.Admin || actor.Role == Actor.System.Role;

    public static bool MaySignOff(Actor actor) => actor.Role is RoleNames.Approver or RoleNames.Admin;

    /// <summary>The live drill as of the last poll, or null when none runs.</summary>
    public LiveDrillView? Live
    {
        get
        {
            lock (_gate)
            {
                return _view;
            }
        }
    }

    /// <summary>Checks a request and turns it into a plan, or says what is wrong with it.</summary>
    public (DrillPlan? Plan, string Mode, string? Error) Parse(DrillRequest request)
    {
        if (!DrillScenarios.TryParse(request.Scenario ?? "", out var scenario))
        {
            return (null, "", $"scenario '{request.Scenario}' is unknown; use one of {string.Join(", ", DrillScenarios.All.Select(d => d.Name))}");
        }

        var policy = (request.Policy ?? "automatic").ToLowerInvariant() switch
        {
            "automatic" => ResponsePolicy.Automatic,
            "human" => ResponsePolicy.Human,
            _ => (ResponsePolicy?)null,
        };
        if (policy is null)
        {
            return (null, "", $"policy '{request.Policy}' is unknown; use automatic or human");
        }

        var mode = (request.Mode ?? "live").ToLowerInvariant();
        if (mode is not ("live" or "full-speed"))
        {
            return (null, "", $"mode '{request.Mode}' is unknown; use live (on the console's twin) or full-speed (a fresh twin, headless)");
        }

        var plan = new DrillPlan(scenario, request.Region ?? "", policy.Value, Seed: request.Seed ?? 1);
        var errors = plan.Validate(estate);
        return errors.IsEmpty ? (plan, mode, null) : (null, mode, string.Join("; ", errors));
    }

    public async Task<DrillCommandResult> StartAsync(DrillRequest request, Actor actor, string mode = "", CancellationToken cancellationToken = default)
    {
        if (!MayRun(actor))
        {
            return new DrillCommandResult(null, $"Only an Operator or an Admin may run drills; you are {actor.Role}.", Forbidden: true);
        }

        var (plan, parsedMode, error) = Parse(request);
        if (plan is null)
        {
            return new DrillCommandResult(null, error);
        }

        return parsedMode == "live"
            ? await StartLiveAsync(plan, actor, cancellationToken)
            : await RunFullSpeedAsync(plan, actor, string.IsNullOrEmpty(mode) ? "full-speed" : mode, cancellationToken);
    }

    /// <summary>Runs a drill headless on a fresh twin at full speed and stores its report and pack.</summary>
    public async Task<DrillCommandResult> RunFullSpeedAsync(DrillPlan plan, Actor actor, string mode, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        // Dated from now on the console's clock, so that its timeline and next drill date are in the console's calendar.
        var result = await Task.Run(() => new DrillRunner(estate).RunAsync(plan, cancellationToken: cancellationToken, startAt: startedAt), cancellationToken);
        if (result.Outcome is not { } outcome)
        {
            return new DrillCommandResult(null, string.Join("; ", result.Errors));
        }

        var report = outcome.Report with { Participants = outcome.Report.Participants.Insert(0, new DrillParticipant(actor.Name, actor.Role, $"started the drill ({mode})")) };
        await AddRunningAsync(report.DrillId, plan, mode, actor, startedAt, cancellationToken);

        await audit.AppendAsync(actor.Name, actor.Role, "drill.run", report.DrillId, report.Passed ? "passed" : "failed",
            $"{plan.Definition.Name} on {plan.TargetRegion}, {mode}, seed {plan.Seed}: {report.Verdict}", cancellationToken);
        await CompleteAsync(report.DrillId, report, outcome.Audit, time.GetUtcNow(), cancellationToken);
        return new DrillCommandResult(report.DrillId, null);
    }

    private async Task<DrillCommandResult> StartLiveAsync(DrillPlan plan, Actor actor, CancellationToken cancellationToken)
    {
        if (_twin is null)
        {
            return new DrillCommandResult(null, "Live drills need the estate twin (Estate:Provider=Simulation); run it at full speed instead.");
        }

        lock (_gate)
        {
            if (_live is not null || _starting)
            {
                return new DrillCommandResult(null, $"Drill {_live?.Session.DrillId ?? "(starting)"} is still running; one live drill at a time. Wait for it to end or run this one at full speed.");
            }

            _starting = true;
        }

        try
        {
            var session = new DrillSession(plan, estate, _twin, audit, auditStore, time, actor);
            var live = new LiveDrill(session, actor);
            await AddRunningAsync(session.DrillId, plan, "live", actor, session.StartedAt, cancellationToken);

            // The live estate is already warm: the faults go in at once.
            await session.StartAsync(cancellationToken);
            operations.Changed += live.Changes.Enqueue;
            await session.InjectAsync(cancellationToken);
            lock (_gate)
            {
                _live = live;
                _view = View(live);
            }

            Changed?.Invoke();
            return new DrillCommandResult(session.DrillId, null);
        }
        finally
        {
            lock (_gate)
            {
                _starting = false;
            }
        }
    }

    /// <summary>
    /// Called by the driver after each poll, on its loop: feeds the live drill's session the operation changes since
    /// the last call, the snapshot and the twin's truth, and ends the drill when it has seen recovery (or ran out of time).
    /// </summary>
    public async Task ObserveAsync(EstateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        LiveDrill? live;
        lock (_gate)
        {
            live = _live;
        }

        if (live is null || _twin is null)
        {
            return;
        }

        var session = live.Session;
        while (live.Changes.TryDequeue(out var op))
        {
            session.Observer.ObserveOperation(op);
        }

        await session.ObserveSecondAsync(snapshot, _twin.Truth(), cancellationToken);
        var timedOut = time.GetUtcNow() - session.StartedAt >= session.Plan.EffectiveObserveFor;
        if (timedOut || session.IsDone(await operations.RecentAsync(50, cancellationToken)))
        {
            await FinishLiveAsync(live, timedOut, cancellationToken);
        }
        else
        {
            lock (_gate)
            {
                _view = View(live);
            }
        }

        Changed?.Invoke();
    }

    private async Task FinishLiveAsync(LiveDrill live, bool timedOut, CancellationToken cancellationToken)
    {
        var session = live.Session;
        operations.Changed -= live.Changes.Enqueue;
        try
        {
            if (timedOut)
            {
                session.Observer.AddDeviation($"The drill ended after {Formats.Duration(session.Plan.EffectiveObserveFor)} without seeing everything it waits for (recovery, the faults over, no operation in flight).");
            }

            var all = await operations.RecentAsync(200, cancellationToken);
            var people = all.Where(o => o.RequestedAt >= session.StartedAt)
                .SelectMany(o => new[] { (o.RequestedBy, o.RequestedRole, "requested an operation"), (o.ApprovedBy, (string?)RoleNames.Approver, "approved an operation") })
                .Where(p => p.Item1 is not null && p.Item1 != Actor.System.Name)
                .Distinct()
                .Select(p => new DrillParticipant(p.Item1!, p.Item2 ?? "", p.Item3));
            var outcome = await session.FinishAsync(all,
            [
                new DrillParticipant(live.StartedBy.Name, live.StartedBy.Role, "started the drill live on the console's twin"),
                .. people,
                new DrillParticipant(Actor.System.Name, Actor.System.Role, "countermeasure ladder"),
            ], cancellationToken);
            await CompleteAsync(session.DrillId, outcome.Report, outcome.Audit, outcome.Report.EndedAt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFinishFailed(logger, session.DrillId, ex);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await db.Drills.FindAsync([session.DrillId], cancellationToken) is { } row)
            {
                row.State = "Failed";
                row.Verdict = $"The drill could not be completed: {ex.Message}";
                row.EndedAtTicks = time.GetUtcNow().UtcTicks;
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        finally
        {
            lock (_gate)
            {
                _live = null;
                _view = null;
            }
        }
    }

    private static LiveDrillView View(LiveDrill live) =>
        new(live.Session.DrillId, live.Session.Plan, live.Session.StartedAt, [.. live.Session.Observer.Timeline.OrderBy(e => e.At)], live.Session.Observer.Measure());

    /// <summary>Stores a drill as Running, remembering that this process started it.</summary>
    private async Task AddRunningAsync(string id, DrillPlan plan, string mode, Actor actor, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        _mine[id] = 0;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Drills.Add(new DrillRunRow
        {
            Id = id,
            Scenario = plan.Definition.Name,
            Region = plan.TargetRegion,
            Policy = plan.Policy.ToString(),
            Mode = mode,
            StartedBy = actor.Name,
            StartedAtTicks = startedAt.UtcTicks,
            State = "Running",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task CompleteAsync(string id, DrillReport report, IReadOnlyList<AuditEntry> entries, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.Drills.SingleAsync(d => d.Id == id, cancellationToken);
            row.State = "Completed";
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
        Changed?.Invoke();
    }

    /// <summary>Signs a completed drill's report off and writes its pack again with the sign-off in it.</summary>
    public async Task<DrillCommandResult> SignOffAsync(string drillId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!MaySignOff(actor))
        {
            return new DrillCommandResult(null, $"Only an Approver or an Admin may sign a drill report off; you are {actor.Role}.", Forbidden: true);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Drills.FindAsync([drillId], cancellationToken) is not { } row)
        {
            return new DrillCommandResult(null, $"No drill has id '{drillId}'.", NotFound: true);
        }

        if (row.State != "Completed" || row.ReportJson is null || row.AuditJson is null)
        {
            return new DrillCommandResult(null, $"Drill {drillId} is {row.State}; only a completed drill's report can be signed off.");
        }

        if (row.SignedOffBy is not null)
        {
            return new DrillCommandResult(null, $"Drill {drillId} was signed off by {row.SignedOffBy} already.");
        }

        var now = time.GetUtcNow();
        var (signed, missing) = DrillReportJson.Read(row.ReportJson).TrySignOff(actor.Name, actor.Role, now);
        if (signed is null)
        {
            return new DrillCommandResult(null, $"The report cannot be signed off while these required fields are empty: {string.Join(", ", missing)}.");
        }

        row.SignedOffBy = actor.Name;
        row.SignedOffAtTicks = now.UtcTicks;
        row.ReportJson = DrillReportJson.Write(signed);
        row.Version++;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.Name, actor.Role, "drill.sign-off", drillId, "signed off", row.Verdict, cancellationToken);
        await archive.WriteAsync(drillId, signed, DrillReportJson.ReadAudit(row.AuditJson), cancellationToken);
        Changed?.Invoke();
        return new DrillCommandResult(drillId, null);
    }

    /// <summary>
    /// Marks drills left "Running" by a previous run of the console as Failed: a live drill's measurements live in
    /// memory, so a restart ends it. Called once at start, before any drill can begin. Returns how many were marked.
    /// </summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Drills this process started are not interrupted, whatever the order of start-up.
        var stuck = (await db.Drills.Where(d => d.State == "Running").ToListAsync(cancellationToken)).Where(d => !_mine.ContainsKey(d.Id)).ToList();
        var now = time.GetUtcNow();
        foreach (var row in stuck)
        {
            row.State = "Failed";
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

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Drill {DrillId} could not be completed.")]
    private static partial void LogFinishFailed(ILogger logger, string drillId, Exception exception);

    /// <summary>A running live drill: its session (touched only on the driver's loop) and the operation changes queued for it.</summary>
    private sealed class LiveDrill(DrillSession session, Actor startedBy)
    {
        public DrillSession Session { get; } = session;

        public Actor StartedBy { get; } = startedBy;

        public ConcurrentQueue<Operation> Changes { get; } = new();
    }
}
