using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

/// <summary>
/// One drill on a running pipeline, without owning its loop: the <see cref="DrillHost"/> (the same in the console and
/// in a headless run) calls <see cref="StartAsync"/>, then <see cref="InjectAsync"/> when the warm-up is over,
/// <see cref="ObserveSecondAsync"/> after every step of the estate loop, feeds operation changes to
/// <see cref="DrillObserver.ObserveOperation"/>, and calls <see cref="FinishAsync"/> at the end. The session audits the
/// drill's start, its faults and its end, feeds the observer, and writes the report with the audit chain's head.
/// </summary>
/// <remarks>
/// Not thread-safe: call it from the loop that drives the estate. Faults go in through the <see cref="IFaultInjector"/>
/// port; recovery, RPO and restore integrity are measured from the <see cref="IGroundTruth"/> port (the twin provides
/// both; against AWS they would be FIS experiments and canary writers, not built yet).
/// </remarks>
public sealed class DrillSession
{
    private readonly EstateTopology _estate;
    private readonly IFaultInjector _injector;
    private readonly IGroundTruth _truth;
    private readonly AuditLog _audit;
    private readonly IAuditStore _auditStore;
    private readonly TimeProvider _time;
    private readonly Actor _actor;
    private readonly List<ActiveFault> _faults = [];
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private long _firstAudit;
    private long _auditSeen;

    /// <param name="plan">A plan that <see cref="DrillPlan.Validate"/> accepted.</param>
    /// <param name="estate">The estate the pipeline watches.</param>
    /// <param name="injector">Where the faults go in (the twin's, or FIS).</param>
    /// <param name="truth">What really happens: clients' success, canaries, restored tables.</param>
    /// <param name="audit">The pipeline's audit log.</param>
    /// <param name="auditStore">The store behind <paramref name="audit"/>, read for the ladder's steps and the drill's entries.</param>
    /// <param name="time">The pipeline's clock (virtual time).</param>
    /// <param name="actor">Who runs the drill, in the audit log; <see cref="DrillRunner.RunnerActor"/> by default.</param>
    public DrillSession(DrillPlan plan, EstateTopology estate, IFaultInjector injector, IGroundTruth truth, AuditLog audit, IAuditStore auditStore, TimeProvider time, Actor? actor = null)
    {
        Plan = plan;
        _estate = estate;
        _injector = injector;
        _truth = truth;
        _audit = audit;
        _auditStore = auditStore;
        _time = time;
        _actor = actor ?? DrillRunner.RunnerActor;
        StartedAt = time.GetUtcNow();
        DrillId = $"drill-{StartedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{plan.Definition.Name}-{Guid.NewGuid().ToString("N")[..6]}";
        Observer = new DrillObserver(plan, estate, StartedAt);
    }

    public DrillPlan Plan { get; }

    public string DrillId { get; }

    public DateTimeOffset StartedAt { get; }

    public DrillObserver Observer { get; }

    /// <summary>The scenario's first fault once injected (a bad deploy's record, for the people restoring).</summary>
    public ActiveFault? Fault => _faults.Count > 0 ? _faults[0] : null;

    public bool FaultsOver => _faults.Count > 0 && _ended.Count == _faults.Count;

    /// <summary>Audits the start and schedules the plan's background faults.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var first = await _audit.AppendAsync(_actor.Name, _actor.Role, "drill.start", DrillId, "started",
            $"{Plan.Definition.Name} on {Plan.TargetRegion}, {Plan.Policy} response, seed {Plan.Seed}, plan {Plan.Version(_estate)}", cancellationToken);
        _firstAudit = _auditSeen = first.Sequence;
        foreach (var background in Plan.BackgroundFaults.IsDefault ? [] : Plan.BackgroundFaults)
        {
            var fault = await _injector.InjectAsync(background, _actor.Name, cancellationToken);
            await _audit.AppendAsync(_actor.Name, _actor.Role, "fault.inject", $"{fault.Id} {background.Kind.ToString().ToLowerInvariant()} {background.Region}", "scheduled", $"background fault of {DrillId}", cancellationToken);
            Observer.Note(fault.StartsAt, $"Background fault {fault.Id}: {Describe(background)}.", "drill");
        }
    }

    /// <summary>Injects the scenario's faults now; the fault start is the injector's record of when each starts.</summary>
    public async Task InjectAsync(CancellationToken cancellationToken = default)
    {
        foreach (var spec in Plan.Definition.Faults(_estate, Plan.TargetRegion, Plan.EffectiveFaultDuration))
        {
            var fault = await _injector.InjectAsync(spec, _actor.Name, cancellationToken);
            _faults.Add(fault);
            await _audit.AppendAsync(_actor.Name, _actor.Role, "fault.inject", $"{fault.Id} {spec.Kind.ToString().ToLowerInvariant()} {spec.Region}", "injected", Describe(spec), cancellationToken);
            Observer.FaultStarted(fault.StartsAt, $"Fault {fault.Id}: {Describe(spec)}.");
        }
    }

    /// <summary>One step: the snapshot the pipeline published, the ground truth, and the audit entries since the last call.</summary>
    public async Task ObserveSecondAsync(EstateSnapshot snapshot, EstateTruth truth, CancellationToken cancellationToken = default)
    {
        Observer.ObserveSnapshot(snapshot);
        Observer.ObserveTruth(truth);

        // Bounded: a page of audit entries a second; the ladder writes a handful at most.
        foreach (var entry in await _auditStore.ReadAsync(_auditSeen + 1, 1000, cancellationToken))
        {
            Observer.ObserveAudit(entry);
            _auditSeen = entry.Sequence;
        }

        var now = _time.GetUtcNow();
        if (_faults.Count == _ended.Count)
        {
            return;
        }

        var history = await _injector.HistoryAsync(cancellationToken);
        foreach (var fault in history.Where(f => _faults.Any(x => x.Id == f.Id) && f.EndsAt is { } e && e <= now && _ended.Add(f.Id)))
        {
            Observer.FaultEnded(fault.EndsAt!.Value, $"Fault {fault.Id} ends ({Describe(fault.Spec)}).");
        }

        // A fault whose planned time is up but still runs (an AWS FIS experiment lasts as long as its template says):
        // the drill stops it, so that a drill ends its faults the same way on every estate.
        foreach (var mine in _faults.Where(f => !_ended.Contains(f.Id) && f.Spec.Duration is { } d && now >= f.StartsAt + d))
        {
            if (history.FirstOrDefault(f => f.Id == mine.Id) is { EndsAt: null } && await _injector.ClearAsync(mine.Id, cancellationToken))
            {
                await _audit.AppendAsync(_actor.Name, _actor.Role, "fault.clear", mine.Id, "stopped", $"its planned {Formats.Duration(mine.Spec.Duration!.Value)} are over", cancellationToken);
            }
        }
    }

    /// <summary>The drill has seen what it needs: recovery, the faults over, no operation in flight, and for a bad deploy the cutover.</summary>
    public bool IsDone(IReadOnlyList<Operation> recent) =>
        Observer.Recovered && FaultsOver
        && (Plan.Definition.Expected != ExpectedResponse.RestoreAndCutover || Observer.CutoverCompleted)
        && !recent.Any(o => o.IsOpen && o.State != OperationState.Proposed);

    /// <summary>Checks restores against the ground truth, audits the end, and writes the report with the chain's head.</summary>
    public async Task<DrillOutcome> FinishAsync(IReadOnlyList<Operation> operations, ImmutableArray<DrillParticipant> participants, CancellationToken cancellationToken = default)
    {
        var endedAt = _time.GetUtcNow();
        await CheckRestoresAsync(operations, endedAt, cancellationToken);
        var m = Observer.Measure();
        var last = await _audit.AppendAsync(_actor.Name, _actor.Role, "drill.end", DrillId, "ended",
            string.Create(CultureInfo.InvariantCulture, $"RTO {(m.Rto is { } rto ? rto.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s" : "not reached")}, RPO {m.Rpo.TotalSeconds:0.0} s"), cancellationToken);
        var report = DrillReportComposer.Compose(Plan, _estate, Observer.ToObservation(), DrillId, endedAt, last.Hash, participants);
        var entries = await _auditStore.ReadAsync(_firstAudit, (int)Math.Min(int.MaxValue, last.Sequence - _firstAudit + 1), cancellationToken);
        return new DrillOutcome(report, entries, m, [.. operations.Where(o => o.RequestedAt >= StartedAt).OrderBy(o => o.RequestedAt)]);
    }

    private async Task CheckRestoresAsync(IReadOnlyList<Operation> operations, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var truth = await _truth.ReadAsync(cancellationToken);
        foreach (var op in operations.Where(o => o.Request.Kind == OperationKind.Restore && o.State == OperationState.Completed && o.RequestedAt >= StartedAt))
        {
            var restored = await _truth.RestoredTableAsync(op.Plan.RestoreTarget!, op.Request.From, cancellationToken);
            var source = truth.Tables.FirstOrDefault(t => t.Table == op.Plan.RestoreTable);
            Observer.AddRestoreIntegrity(restored is null || source is null
                ? new RestoreIntegrityResult(op.Plan.RestoreTarget!, op.Request.From, op.Plan.PointInTime, false, "the restored table is not known to the ground truth")
                : DrillObserver.CheckRestore(restored, source), at);
        }

        if (Plan.Scenario == DrillScenario.BadDeploy && truth.Tables.SelectMany(t => t.ActiveTables).FirstOrDefault(a => a.Region == Plan.TargetRegion && a.CorruptItems > 0) is { } dirty)
        {
            Observer.AddDeviation($"{Plan.TargetRegion} still uses {dirty.PhysicalTable}, which holds {dirty.CorruptItems} corrupt items, at the end of the drill.");
        }
    }

    private static string Describe(FaultSpec spec) => spec.Kind switch
    {
        FaultKind.Partition => $"partition {spec.Region}-{spec.PeerRegion}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region} (magnitude {spec.EffectiveMagnitude})"),
    } + (spec.Duration is { } d ? $" for {Formats.Duration(d)}" : "");
}
