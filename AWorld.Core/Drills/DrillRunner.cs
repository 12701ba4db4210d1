using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

/// <summary>A finished drill: the after-action report, the drill's audit entries (for the evidence pack), the raw measurements and the operations it caused.</summary>
public sealed record DrillOutcome(DrillReport Report, IReadOnlyList<AuditEntry> Audit, DrillMeasurements Measurements, IReadOnlyList<Operation> Operations);

/// <summary>A drill's outcome, or why it could not run (each error names the field and the fix).</summary>
public sealed record DrillRunResult(DrillOutcome? Outcome, ImmutableArray<string> Errors)
{
    public bool Succeeded => Outcome is not null;
}

/// <summary>
/// Runs one drill headless on a fresh estate twin, through the same pipeline the console runs: the monitor polls the
/// twin into a snapshot stream, the countermeasure ladder evaluates every snapshot, the operation service plans,
/// checks and audits, the executor carries operations out, every second of virtual time on a manual clock, as fast
/// as the machine allows. Under <see cref="ResponsePolicy.Automatic"/> the ladder acts alone (automatic failover on);
/// under <see cref="ResponsePolicy.Human"/> automatic failover is off and a <see cref="ScriptedResponder"/> plays the
/// operator and the approver. Measurement is done by a <see cref="DrillObserver"/>, which the console feeds the same
/// way from its own loop. Operations and audit live in memory (the outcome carries them out).
/// </summary>
/// <remarks>Each <see cref="RunAsync"/> builds its own world, so one runner can run drills concurrently.</remarks>
public sealed class DrillRunner(EstateTopology estate, SimulationOptions? simulation = null, TelemetryOptions? telemetry = null, OperationsOptions? operations = null)
{
    /// <summary>Who runs headless drills, in the audit log.</summary>
    public static readonly Actor RunnerActor = new("aworld-drill", "System");

    private readonly SimulationOptions _simulation = simulation ?? new SimulationOptions();
    private readonly TelemetryOptions _telemetry = telemetry ?? new TelemetryOptions();
    private readonly OperationsOptions _operations = operations ?? new OperationsOptions();

    /// <param name="plan">What to rehearse.</param>
    /// <param name="onSecond">Called with the twin's truth after every virtual second (tests and benchmarks read the ground truth here).</param>
    /// <param name="cancellationToken">Stops the drill between two virtual seconds.</param>
    public async Task<DrillRunResult> RunAsync(DrillPlan plan, Action<TwinTruth>? onSecond = null, CancellationToken cancellationToken = default)
    {
        var errors = plan.Validate(estate);
        if (!errors.IsEmpty)
        {
            return new DrillRunResult(null, errors);
        }

        var twin = new EstateTwin(estate, _simulation, seed: plan.Seed);
        var clock = VirtualClock.Manual(twin.StartTime);
        var stream = new EstateStateStream(clock);
        var monitor = new EstateMonitor(estate, twin, twin, twin, new SeriesStore(_telemetry.Store), stream, clock, _telemetry, twin);
        var store = new MemoryOperationStore();
        var auditStore = new MemoryAuditStore();
        using var audit = new AuditLog(auditStore, clock);
        using var service = new OperationService(estate, store, twin, stream, audit, clock, WithAutoFailover(_operations, plan.Policy == ResponsePolicy.Automatic));
        var executor = new OperationExecutor(service, store, twin, twin, twin, clock, twin);
        var policy = new CountermeasurePolicy(service, _telemetry, clock, audit, twin, twin);
        var responder = plan.Policy == ResponsePolicy.Human
            ? new ScriptedResponder(ScriptedResponder.DefaultOperator, ScriptedResponder.DefaultApprover, plan.EffectiveThinkTime)
            : null;

        var startedAt = clock.GetUtcNow();
        var drillId = $"drill-{startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{plan.Definition.Name}-{Guid.NewGuid().ToString("N")[..6]}";
        var observer = new DrillObserver(plan, estate, startedAt);
        service.Changed += observer.ObserveOperation;
        var first = await audit.AppendAsync(RunnerActor.Name, RunnerActor.Role, "drill.start", drillId, "started",
            $"{plan.Definition.Name} on {plan.TargetRegion}, {plan.Policy} response, seed {plan.Seed}, plan {plan.Version(estate)}", cancellationToken);
        var auditSeen = first.Sequence;

        foreach (var background in plan.BackgroundFaults.IsDefault ? [] : plan.BackgroundFaults)
        {
            var fault = twin.Inject(background, RunnerActor.Name);
            await audit.AppendAsync(RunnerActor.Name, RunnerActor.Role, "fault.inject", $"{fault.Id} {background.Kind.ToString().ToLowerInvariant()} {background.Region}", "scheduled", $"background fault of {drillId}", cancellationToken);
            observer.Note(fault.StartsAt, $"Background fault {fault.Id}: {Describe(background)}.", "drill");
        }

        ActiveFault? mainFault = null;
        var faults = new List<ActiveFault>();
        var ended = new HashSet<string>(StringComparer.Ordinal);
        var warmup = (long)plan.EffectiveWarmup.TotalSeconds;
        var limit = warmup + (long)plan.EffectiveObserveFor.TotalSeconds;
        for (long s = 0; s < limit; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (s == warmup)
            {
                foreach (var spec in plan.Definition.Faults(estate, plan.TargetRegion, plan.EffectiveFaultDuration))
                {
                    var fault = await ((IFaultInjector)twin).InjectAsync(spec, RunnerActor.Name, cancellationToken);
                    faults.Add(fault);
                    mainFault ??= fault;
                    await audit.AppendAsync(RunnerActor.Name, RunnerActor.Role, "fault.inject", $"{fault.Id} {spec.Kind.ToString().ToLowerInvariant()} {spec.Region}", "injected", Describe(spec), cancellationToken);
                    observer.FaultStarted(fault.StartsAt, $"Fault {fault.Id}: {Describe(spec)}.");
                }
            }

            // One virtual second, as the console's driver runs it: twin, poll, ladder, people, executor.
            clock.Advance(TimeSpan.FromSeconds(1));
            twin.AdvanceTo(clock.GetUtcNow());
            var snapshot = await monitor.PollAsync(cancellationToken);
            observer.ObserveSnapshot(snapshot);
            await policy.EvaluateAsync(snapshot, cancellationToken);
            if (responder is not null)
            {
                await responder.ActAsync(new DrillResponseContext(plan, estate, service, snapshot, clock.GetUtcNow(), mainFault, observer.DetectedAt), cancellationToken);
            }

            await executor.TickAsync(cancellationToken);
            var truth = twin.Truth();
            observer.ObserveTruth(truth);
            onSecond?.Invoke(truth);
            auditSeen = await FeedAuditAsync(auditStore, auditSeen, observer, cancellationToken);

            var now = clock.GetUtcNow();
            foreach (var fault in twin.FaultHistory().Where(f => faults.Any(x => x.Id == f.Id) && f.EndsAt is { } e && e <= now && ended.Add(f.Id)))
            {
                observer.FaultEnded(fault.EndsAt!.Value, $"Fault {fault.Id} ends ({Describe(fault.Spec)}).");
            }

            if (s >= warmup && await DoneAsync(plan, observer, service, faults.Count == ended.Count, cancellationToken))
            {
                break;
            }
        }

        var endedAt = clock.GetUtcNow();
        var all = await service.RecentAsync(1000, cancellationToken);
        CheckRestores(twin, plan, observer, all, endedAt);
        var m = observer.Measure();
        var last = await audit.AppendAsync(RunnerActor.Name, RunnerActor.Role, "drill.end", drillId, "ended",
            string.Create(CultureInfo.InvariantCulture, $"RTO {(m.Rto is { } rto ? rto.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s" : "not reached")}, RPO {m.Rpo.TotalSeconds:0.0} s"), cancellationToken);
        var participants = Participants(plan, responder);
        var report = observer.Report(drillId, endedAt, last.Hash, participants);
        var entries = await auditStore.ReadAsync(first.Sequence, (int)(last.Sequence - first.Sequence + 1), cancellationToken);
        return new DrillRunResult(new DrillOutcome(report, entries, m, [.. all.OrderBy(o => o.RequestedAt)]), []);
    }

    /// <summary>The drill has seen what it needs: recovery, the faults over, no operation in flight, and for a bad deploy the cutover.</summary>
    public static async Task<bool> DoneAsync(DrillPlan plan, DrillObserver observer, OperationService service, bool faultsOver, CancellationToken cancellationToken)
    {
        if (!observer.Recovered || !faultsOver || (plan.Definition.Expected == ExpectedResponse.RestoreAndCutover && !observer.CutoverCompleted))
        {
            return false;
        }

        var recent = await service.RecentAsync(50, cancellationToken);
        return !recent.Any(o => o.IsOpen && o.State != OperationState.Proposed);
    }

    private static async Task<long> FeedAuditAsync(MemoryAuditStore store, long seen, DrillObserver observer, CancellationToken cancellationToken)
    {
        // Bounded: an audit entry per countermeasure step, a handful per second at most.
        var entries = await store.ReadAsync(seen + 1, 1000, cancellationToken);
        foreach (var entry in entries)
        {
            observer.ObserveAudit(entry);
            seen = entry.Sequence;
        }

        return seen;
    }

    /// <summary>Checks every completed restore against the twin's truth and adds the results to the observer (also used by the console's live drills).</summary>
    public static void CheckRestores(EstateTwin twin, DrillPlan plan, DrillObserver observer, IReadOnlyList<Operation> operations, DateTimeOffset at)
    {
        var truth = twin.Truth();
        foreach (var op in operations.Where(o => o.Request.Kind == OperationKind.Restore && o.State == OperationState.Completed))
        {
            var restored = twin.RestoreTruth(op.Plan.RestoreTarget!, op.Request.From);
            var source = truth.Tables.FirstOrDefault(t => t.Table == op.Plan.RestoreTable);
            if (restored is null || source is null)
            {
                observer.AddRestoreIntegrity(new RestoreIntegrityResult(op.Plan.RestoreTarget!, op.Request.From, op.Plan.PointInTime, false, "the restored table is not known to the twin"), at);
                continue;
            }

            observer.AddRestoreIntegrity(DrillObserver.CheckRestore(restored, source), at);
        }

        if (plan.Scenario == DrillScenario.BadDeploy && truth.Tables.SelectMany(t => t.ActiveTables).FirstOrDefault(a => a.Region == plan.TargetRegion && a.CorruptItems > 0) is { } dirty)
        {
            observer.AddDeviation($"{plan.TargetRegion} still uses {dirty.PhysicalTable}, which holds {dirty.CorruptItems} corrupt items, at the end of the drill.");
        }
    }

    private static ImmutableArray<DrillParticipant> Participants(DrillPlan plan, ScriptedResponder? responder)
    {
        var list = ImmutableArray.CreateBuilder<DrillParticipant>();
        if (!plan.Participants.IsDefault)
        {
            list.AddRange(plan.Participants);
        }

        list.Add(new DrillParticipant(RunnerActor.Name, RunnerActor.Role, "ran the drill headless: injected the faults and measured"));
        list.Add(new DrillParticipant(Actor.System.Name, Actor.System.Role, plan.Policy == ResponsePolicy.Automatic
            ? "countermeasure ladder: throttling, scale-out and automatic failover"
            : "countermeasure ladder: throttling, scale-out and failover proposals (automatic failover off)"));
        if (responder is not null)
        {
            list.Add(new DrillParticipant(responder.Operator.Name, responder.Operator.Role, $"scripted operator: requests proposals and restores after {DrillObserver.Format(responder.ThinkTime)}"));
            list.Add(new DrillParticipant(responder.Approver.Name, responder.Approver.Role, $"scripted approver: approves after {DrillObserver.Format(responder.ThinkTime)}"));
        }

        return list.ToImmutable();
    }

    private static string Describe(FaultSpec spec) => spec.Kind switch
    {
        FaultKind.Partition => $"partition {spec.Region}-{spec.PeerRegion}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region} (magnitude {spec.EffectiveMagnitude})"),
    } + (spec.Duration is { } d ? $" for {DrillObserver.Format(d)}" : "");

    private static OperationsOptions WithAutoFailover(OperationsOptions o, bool autoFailover) => new()
    {
        ApprovalTimeout = o.ApprovalTimeout,
        Cooldown = o.Cooldown,
        StepTimeout = o.StepTimeout,
        DrainedShare = o.DrainedShare,
        ResolverLag = o.ResolverLag,
        DnsPropagation = o.DnsPropagation,
        AutoFailover = autoFailover,
        ThrottleAtMultiple = o.ThrottleAtMultiple,
        ThrottleToMultiple = o.ThrottleToMultiple,
        ScaleOutAtLoadMultiple = o.ScaleOutAtLoadMultiple,
        ScaleOutStep = o.ScaleOutStep,
        MaxScale = o.MaxScale,
        AutoFailoverAfter = o.AutoFailoverAfter,
    };
}
