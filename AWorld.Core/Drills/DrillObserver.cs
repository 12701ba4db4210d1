using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

/// <summary>
/// What a drill measured: when the fault started (twin truth), when the monitor first showed the target region
/// other than Healthy, when the first decision (operation requested or proposed, or an automatic ladder step) was made
/// for it, the first approval, when the router's weights changed, when clients recovered, and the RTO and RPO.
/// </summary>
public sealed record DrillMeasurements(
    DateTimeOffset? FaultStart,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? FirstApprovalAt,
    DateTimeOffset? RouterChangedAt,
    DateTimeOffset? RecoveredAt,
    TimeSpan? Detection,
    TimeSpan? Rto,
    TimeSpan Rpo,
    long CanariesLost,
    long TwinWritesLost,
    TimeSpan? TwinOldestLostAge,
    TimeSpan MaxCanaryGap,
    double MinSuccessRatio,
    DateTimeOffset? RestoredTo);

/// <summary>
/// Measures a drill from what the pipeline shows and the ground truth. The same observer serves every drill, fed by
/// the <see cref="DrillHost"/> after each step of the estate loop, in the console and in a headless run alike:
/// per virtual second one <see cref="ObserveTruth"/>, per poll one <see cref="ObserveSnapshot"/>, every operation
/// change (from the operations board) to <see cref="ObserveOperation"/>, every audit entry to
/// <see cref="ObserveAudit"/>. Recovery is the first moment t at or after the fault start such that clients' success
/// ratio is at least 99% in every second of [t, t + 60 s]. Not thread-safe: feed it from one loop.
/// </summary>
public sealed class DrillObserver
{
    /// <summary>Clients' success ratio that counts as recovered.</summary>
    public const double RecoveredRatio = 0.99;

    /// <summary>How long success must hold at or above <see cref="RecoveredRatio"/> for a recovery to count.</summary>
    public static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MetricResolution = TimeSpan.FromSeconds(10);

    private readonly DrillPlan _plan;
    private readonly EstateTopology _estate;
    private readonly HashSet<string> _regionsInScope;
    private readonly List<DrillTimelineEvent> _timeline = [];
    private readonly List<string> _extraDeviations = [];
    private readonly List<RestoreIntegrityResult> _integrity = [];
    private readonly Dictionary<string, SeenOperation> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Sequence, DateTimeOffset At)>> _canaryAcks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _down = new(StringComparer.Ordinal);
    private readonly List<(string Region, DateTimeOffset At, long LostCanaries, TimeSpan Age, long TwinLost, TimeSpan TwinOldest)> _losses = [];
    private readonly List<DrillMetricPoint> _success = [];
    private readonly Dictionary<string, List<DrillMetricPoint>> _shares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DrillMetricPoint>> _lags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lagWindowMax = new(StringComparer.Ordinal);
    private EstateTruth? _previous;
    private DateTimeOffset? _faultStart;
    private DateTimeOffset? _detectedAt;
    private DateTimeOffset? _decidedAt;
    private DateTimeOffset? _approvedAt;
    private DateTimeOffset? _routerChangedAt;
    private DateTimeOffset? _goodSince;
    private DateTimeOffset? _recoveredAt;
    private DateTimeOffset? _relapseAt;
    private double _relapseRatio = 1;
    private double _minRatio = 1;
    private TimeSpan _maxCanaryGap;
    private DateTimeOffset? _restoredTo;
    private bool _cutoverCompleted;
    private bool _ladderStepSeen;
    private bool _trafficMovedAway;
    private DrillReport? _report;

    public DrillObserver(DrillPlan plan, EstateTopology estate, DateTimeOffset startedAt)
    {
        _plan = plan;
        _estate = estate;
        StartedAt = startedAt;
        _regionsInScope = new HashSet<string>(StringComparer.Ordinal) { plan.TargetRegion };
        foreach (var fault in plan.Definition.Faults(estate, plan.TargetRegion, plan.EffectiveFaultDuration))
        {
            if (fault.PeerRegion is { } peer)
            {
                _regionsInScope.Add(peer);
            }
        }

        Add(startedAt, DrillEventKinds.DrillStart, $"Drill of {plan.Definition.Name} on {plan.TargetRegion} starts ({plan.Policy} response; warm-up {Format(plan.EffectiveWarmup)}).");
    }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The timeline so far, in the order events were seen (the report sorts it by time).</summary>
    public IReadOnlyList<DrillTimelineEvent> Timeline => _timeline;

    public DateTimeOffset? FaultStart => _faultStart;

    /// <summary>When the monitor first showed the target region other than Healthy after the fault; null until then.</summary>
    public DateTimeOffset? DetectedAt => _detectedAt;

    /// <summary>True once clients have been back at ≥ 99% for the whole recovery window.</summary>
    public bool Recovered => _recoveredAt is not null;

    /// <summary>True once a cutover of the target region to a restored table completed.</summary>
    public bool CutoverCompleted => _cutoverCompleted;

    /// <summary>
    /// The detection rule, in one place: the monitor shows the region as anything but Healthy (an alarm), or an
    /// anomaly detector opened an event on one of the region's series at or after <paramref name="since"/>. Returns
    /// what detected it, or null.
    /// </summary>
    public static string? Detection(EstateSnapshot snapshot, RegionSnapshot region, DateTimeOffset since)
    {
        if (region.Health is not HealthStatus.Healthy)
        {
            var reasons = region.Reasons.IsDefaultOrEmpty ? "" : ": " + string.Join("; ", region.Reasons);
            return $"The monitor shows {region.Code} {region.Health}{reasons}";
        }

        var anomaly = snapshot.Anomalies.IsDefault ? null : snapshot.Anomalies
            .Where(a => a.Region == region.Code && a.Start >= since)
            .OrderBy(a => a.Start)
            .FirstOrDefault();
        return anomaly is null ? null : string.Create(CultureInfo.InvariantCulture,
            $"Anomaly on {region.Code} {anomaly.Label}: saw {anomaly.PeakValue:0.##} {anomaly.Unit}, expected {anomaly.Lower:0.##}–{anomaly.Upper:0.##} (score {anomaly.PeakScore:0.00})");
    }

    /// <summary>The fault started (from the fault injector's record, i.e. the twin's truth).</summary>
    public void FaultStarted(DateTimeOffset at, string description)
    {
        _faultStart ??= at;
        Add(at, DrillEventKinds.FaultStart, description, "drill");
    }

    public void FaultEnded(DateTimeOffset at, string description) => Add(at, DrillEventKinds.FaultEnd, description, "drill");

    public void Note(DateTimeOffset at, string description, string? actor = null) => Add(at, DrillEventKinds.Note, description, actor);

    /// <summary>A deviation found outside the observer (e.g. by the runner or a person), listed in the report.</summary>
    public void AddDeviation(string text) => _extraDeviations.Add(text);

    public void AddRestoreIntegrity(RestoreIntegrityResult result, DateTimeOffset at)
    {
        _integrity.Add(result);
        Add(at, DrillEventKinds.Restore, $"Restore integrity of {result.Table} in {result.Region}: {(result.Passed ? "passed" : "FAILED")} ({result.Detail})", "drill");
    }

    public void ObserveSnapshot(EstateSnapshot snapshot)
    {
        if (_faultStart is not { } start || _detectedAt is not null || snapshot.At < start || snapshot.Region(_plan.TargetRegion) is not { } region)
        {
            return;
        }

        if (Detection(snapshot, region, start) is { } what)
        {
            _detectedAt = snapshot.At;
            Add(snapshot.At, DrillEventKinds.Detection, what, "monitor");
        }
    }

    /// <summary>One virtual second of ground truth: clients' success, canaries, traffic shares, replication lag.</summary>
    public void ObserveTruth(EstateTruth truth)
    {
        // The success ratio covers the second that ended at truth.At.
        var second = truth.At - OneSecond;
        var ratio = truth.Clients.LastSecondSuccessRatio;
        _success.Add(new DrillMetricPoint(second, Math.Round(ratio, 6)));
        RecordShapes(truth);
        ObserveCanaries(truth);
        if (_faultStart is { } start && second >= start)
        {
            _minRatio = Math.Min(_minRatio, ratio);
            if (ratio >= RecoveredRatio)
            {
                _goodSince ??= second;
                if (_recoveredAt is null && second - _goodSince.Value >= RecoveryWindow)
                {
                    _recoveredAt = _goodSince;
                    Add(_recoveredAt.Value, DrillEventKinds.Recovery,
                        string.Create(CultureInfo.InvariantCulture, $"Clients' success is at or above {RecoveredRatio:P0} from here for {RecoveryWindow.TotalSeconds:0} s (lowest since the fault {_minRatio:P1})."), "clients");
                }
            }
            else
            {
                _goodSince = null;
                if (_recoveredAt is not null && _relapseAt is null)
                {
                    (_relapseAt, _relapseRatio) = (second, ratio);
                }
            }
        }

        _previous = truth;
    }

    public void ObserveOperation(Operation op)
    {
        var relevant = _regionsInScope.Contains(op.Request.From);
        var kind = op.Request.Kind is OperationKind.Restore or OperationKind.Cutover ? DrillEventKinds.Restore : DrillEventKinds.Step;
        var name = $"{op.Id} {op.Request.Kind.ToString().ToLowerInvariant()} of {op.Request.From}";
        if (!_operations.TryGetValue(op.Id, out var seen))
        {
            seen = new SeenOperation();
            _operations[op.Id] = seen;
            var what = op.State == OperationState.Proposed
                ? $"The ladder proposes {name}: {op.Request.Reason}"
                : $"{op.RequestedBy} requests {name}: {op.Request.Reason}";
            Add(op.RequestedAt, DrillEventKinds.Decision, what, op.RequestedBy);
            if (relevant)
            {
                _decidedAt ??= op.RequestedAt;
            }
        }
        else if (seen.State == OperationState.Proposed && op.State == OperationState.PendingApproval)
        {
            Add(op.RequestedAt, DrillEventKinds.Decision, $"{op.RequestedBy} requests the proposed {name}.", op.RequestedBy);
        }

        if (op.ApprovedAt is { } approvedAt && !seen.Approved && op.ApprovedBy is not null)
        {
            seen.Approved = true;
            Add(approvedAt, DrillEventKinds.Approval,
                $"{op.ApprovedBy} approves {name}{(op.DataAtRiskAccepted && op.Plan.DataAtRiskWrites > 0 ? string.Create(CultureInfo.InvariantCulture, $", accepting {op.Plan.DataAtRiskWrites:0} writes at risk") : "")}.", op.ApprovedBy);
            if (relevant)
            {
                _approvedAt ??= approvedAt;
            }
        }

        for (var i = seen.JournalLines; i < op.Journal.Length; i++)
        {
            var line = op.Journal[i];
            if (line.Status == StepStatus.Started)
            {
                continue;
            }

            var step = op.Plan.Steps.ElementAtOrDefault(line.Index);
            Add(line.At, kind, $"{name}, step {line.Index + 1} ({step?.Title ?? "?"}) {line.Status.ToString().ToLowerInvariant()}: {line.Detail}", Actor.System.Name);
            if (relevant && line.Status == StepStatus.Succeeded && step?.Action == StepAction.ChangeWeights && op.Request.Kind == OperationKind.Failover)
            {
                _routerChangedAt ??= line.At;
            }
        }

        seen.JournalLines = op.Journal.Length;
        if (!op.IsOpen && !seen.Finished)
        {
            seen.Finished = true;
            var at = op.FinishedAt ?? op.RequestedAt;
            Add(at, kind, $"{name} ends {op.State}: {op.Outcome ?? op.DecidedReason}", Actor.System.Name);
            if (relevant && op.State is OperationState.Failed or OperationState.RolledBack or OperationState.Expired)
            {
                _extraDeviations.Add($"{name} ended {op.State}: {op.Outcome}");
            }
            if (op.State == OperationState.Completed && relevant)
            {
                _trafficMovedAway |= op.Request.Kind == OperationKind.Failover;
                if (op.Request.Kind == OperationKind.Cutover && op.Request.From == _plan.TargetRegion)
                {
                    _cutoverCompleted = true;
                }

                if (op.Request.Kind == OperationKind.Restore && op.Request.From == _plan.TargetRegion)
                {
                    _restoredTo = op.Plan.PointInTime;
                }
            }
        }

        seen.State = op.State;
    }

    /// <summary>Audit entries: the ladder's automatic steps (throttle, scale out) count as its decisions and steps.</summary>
    public void ObserveAudit(AuditEntry entry)
    {
        if (!entry.Action.StartsWith("countermeasure.", StringComparison.Ordinal) || entry.Action == "countermeasure.escalate")
        {
            return;
        }

        var region = entry.Target.Split(' ')[0];
        Add(entry.At, DrillEventKinds.Step, $"Ladder {entry.Action["countermeasure.".Length..]} {entry.Target}: {entry.Outcome} ({entry.Reason})", entry.Actor);
        if (_regionsInScope.Contains(region) && _faultStart is { } start && entry.At >= start)
        {
            _ladderStepSeen = true;
            _decidedAt ??= entry.At;
        }
    }

    public DrillMeasurements Measure()
    {
        var rpo = _losses.Count == 0 ? TimeSpan.Zero : _losses.Max(l => l.Age);
        if (_cutoverCompleted && _restoredTo is { } restoredTo && _faultStart is { } start && start > restoredTo)
        {
            rpo = Max(rpo, start - restoredTo);
        }

        return new DrillMeasurements(
            _faultStart,
            _detectedAt,
            _decidedAt,
            _approvedAt,
            _routerChangedAt,
            _recoveredAt,
            _detectedAt - _faultStart,
            _recoveredAt - _faultStart,
            rpo,
            _losses.Sum(l => l.LostCanaries),
            _losses.Sum(l => l.TwinLost),
            _losses.Count == 0 ? null : _losses.Max(l => l.TwinOldest),
            _maxCanaryGap,
            _minRatio,
            _restoredTo);
    }

    /// <summary>
    /// The after-action report: everything filled so that it can be signed off, except the sign-off itself. Call it
    /// once, at the end (it closes the timeline); later calls return the same report.
    /// </summary>
    /// <param name="drillId">The drill's id.</param>
    /// <param name="endedAt">When the drill ended.</param>
    /// <param name="auditChainHead">The audit log's head hash after the drill's last entry.</param>
    /// <param name="participants">Who took part, with their roles.</param>
    /// <param name="nextDrillIn">When the next drill is due; weekly by default.</param>
    public DrillReport Report(string drillId, DateTimeOffset endedAt, string auditChainHead, ImmutableArray<DrillParticipant> participants, TimeSpan? nextDrillIn = null)
    {
        if (_report is not null)
        {
            return _report;
        }

        var m = Measure();
        var criteria = _plan.EffectiveCriteria(_estate);
        var definition = _plan.Definition;
        var inv = CultureInfo.InvariantCulture;

        var rtoMet = m.Rto is { } rto && rto <= criteria.MaxRto;
        var rpoMet = m.Rpo <= criteria.MaxRpo;
        var integrityMet = _integrity.All(r => r.Passed);
        var deviations = new List<string>(_extraDeviations);
        var actions = new List<CorrectiveAction>();
        var due = DateOnly.FromDateTime(endedAt.UtcDateTime).AddDays(14);
        void Act(string what, string owner) => actions.Add(new CorrectiveAction(what, owner, due, "Open"));

        var check = _estate.HealthCheckFor(_plan.TargetRegion);
        var expectedDetection = TimeSpan.FromSeconds(check.RequestIntervalSeconds * (check.FailureThreshold + 1));
        if (m.Detection is { } detection && detection > expectedDetection)
        {
            deviations.Add($"Detection took {Format(detection)}, longer than the {Format(expectedDetection)} expected (health check every {check.RequestIntervalSeconds} s × (threshold {check.FailureThreshold} + 1)).");
        }
        else if (m.Detection is null)
        {
            deviations.Add($"The monitor never showed {_plan.TargetRegion} other than Healthy during the drill.");
        }

        var responseMet = definition.Expected switch
        {
            ExpectedResponse.Failover => _trafficMovedAway,
            ExpectedResponse.RestoreAndCutover => _cutoverCompleted,
            ExpectedResponse.LadderSteps => _ladderStepSeen && !_trafficMovedAway,
            _ => !_trafficMovedAway,
        };
        if (!responseMet)
        {
            var seen = _trafficMovedAway ? "a failover moved traffic away from the region" : _ladderStepSeen ? "only ladder steps were taken" : "no completed response";
            deviations.Add($"Expected response not seen: {definition.ExpectedText}; observed: {seen} ({_plan.Policy} policy).");
            Act($"Review why the {_plan.Policy.ToString().ToLowerInvariant()} response to {definition.Name} did not {definition.ExpectedText}.", "Operations lead");
        }

        if (m.RecoveredAt is null)
        {
            Act($"Clients did not recover to {RecoveredRatio:P0} within {Format(_plan.EffectiveObserveFor)} of the fault: find what blocked recovery.", "SRE lead");
        }
        else if (!rtoMet)
        {
            Act($"RTO {Format(m.Rto!.Value)} exceeded the {Format(criteria.MaxRto)} criterion: shorten detection or the response.", "SRE lead");
        }

        if (!rpoMet)
        {
            Act($"RPO {Format(m.Rpo)} exceeded the {Format(criteria.MaxRpo)} criterion: reduce replication lag or the restore gap.", "Data platform owner");
        }

        if (!integrityMet)
        {
            Act("A restored table failed its integrity check: investigate before relying on PITR.", "Data platform owner");
        }

        if (_relapseAt is { } relapse)
        {
            deviations.Add(string.Create(inv, $"Clients' success fell again to {_relapseRatio:P1} at {relapse:HH:mm:ss} UTC after the recovery."));
        }

        var passed = rtoMet && rpoMet && integrityMet && (definition.Expected != ExpectedResponse.RestoreAndCutover || _cutoverCompleted);
        var reasons = new List<string>();
        reasons.Add(m.Rto is { } r ? $"RTO {Format(r)} {(rtoMet ? "≤" : ">")} {Format(criteria.MaxRto)}" : $"clients never recovered to {RecoveredRatio:P0} for {RecoveryWindow.TotalSeconds:0} s within {Format(_plan.EffectiveObserveFor)} (RTO not reached)");
        reasons.Add($"RPO {Format(m.Rpo)} {(rpoMet ? "≤" : ">")} {Format(criteria.MaxRpo)}");
        if (_integrity.Count > 0)
        {
            reasons.Add(integrityMet ? "restore integrity passed" : "restore integrity FAILED");
        }

        if (definition.Expected == ExpectedResponse.RestoreAndCutover && !_cutoverCompleted)
        {
            reasons.Add("no cutover to a clean restored table completed");
        }

        var verdict = (passed ? "Passed: " : "Failed: ") + string.Join("; ", reasons) + ".";
        var rtoMethod = string.Create(inv,
            $"From the fault's start ({Stamp(m.FaultStart)}, the fault injector's record) to the first second after which the synthetic clients' success ratio (twin ground truth, sampled every virtual second) stayed at or above {RecoveredRatio:P0} for {RecoveryWindow.TotalSeconds:0} s ({Stamp(m.RecoveredAt)}); lowest success after the fault {m.MinSuccessRatio:P1}.");
        var rpoMethod = RpoMethod(m);

        Add(endedAt, DrillEventKinds.DrillEnd, $"Drill ends: {verdict}", "drill");
        var timeline = _timeline.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToImmutableArray();
        var policyText = _plan.Policy == ResponsePolicy.Automatic ? "automatic countermeasure ladder only" : "people request and approve operations (two-person rule)";
        var scope = $"{definition.Name} on {_plan.TargetRegion}{(_regionsInScope.Count > 1 ? $" (with {string.Join(", ", _regionsInScope.Where(x => x != _plan.TargetRegion))})" : "")}: {definition.Description} Fault lasts {Format(_plan.EffectiveFaultDuration)} after a {Format(_plan.EffectiveWarmup)} warm-up; observed up to {Format(_plan.EffectiveObserveFor)} after the fault. Response: {policyText}; expected: {definition.ExpectedText}. Success: RTO ≤ {Format(criteria.MaxRto)}, RPO ≤ {Format(criteria.MaxRpo)}, measured on the estate twin (seed {_plan.Seed}).";
        if (!_plan.BackgroundFaults.IsDefaultOrEmpty)
        {
            scope += $" Background faults: {string.Join("; ", _plan.BackgroundFaults.Select(f => $"{f.Kind.ToString().ToLowerInvariant()} {f.Region}{(f.PeerRegion is null ? "" : "-" + f.PeerRegion)}"))}.";
        }

        _report = new DrillReport(
            drillId,
            $"Simulated DR drill on the estate twin ({_plan.Policy.ToString().ToLowerInvariant()} response)",
            _plan.Scenario,
            definition.Description,
            _plan.TargetRegion,
            scope,
            criteria,
            _estate.Objectives,
            _plan.Version(_estate),
            [.. _estate.Regions.Select(x => x.Code)],
            _plan.Policy,
            participants,
            StartedAt,
            endedAt,
            timeline,
            m.Detection,
            new MeasuredObjective(m.Rto, criteria.MaxRto, rtoMet, rtoMethod),
            new MeasuredObjective(m.Rpo, criteria.MaxRpo, rpoMet, rpoMethod),
            passed,
            verdict,
            [.. _integrity],
            [.. deviations],
            [.. actions],
            null,
            auditChainHead,
            DateOnly.FromDateTime((endedAt + (nextDrillIn ?? TimeSpan.FromDays(7))).UtcDateTime),
            Metrics());
        return _report;
    }

    /// <summary>The check of a restored table against the twin's truth: restored to before the first corrupt write, no corrupt item, item count as acknowledged.</summary>
    public static RestoreIntegrityResult CheckRestore(RestoredTableTruth restored, TableTruth source)
    {
        var beforeCorruption = source.FirstCorruptWriteAt is not { } first || restored.PointInTime <= first;
        var corrupt = restored.CorruptItems + restored.CorruptWrittenAfterCutover;
        var countOk = restored.Items == restored.ExpectedItems;
        var passed = restored.Ready && beforeCorruption && corrupt == 0 && countOk;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"restored to {restored.PointInTime:O}{(source.FirstCorruptWriteAt is { } f ? $", first corrupt write {f:O} ({(beforeCorruption ? "before it" : "AFTER it")})" : "")}; corrupt items {corrupt}; items {restored.Items} of {restored.ExpectedItems} acknowledged by then{(restored.Ready ? "" : "; table not ACTIVE")}");
        return new RestoreIntegrityResult(restored.Table, restored.Region, restored.PointInTime, passed, detail);
    }

    private string RpoMethod(DrillMeasurements m)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = "Canary writes: every region writes a sequence-numbered item each second that replicates like any write. When a region is lost, RPO is the age, at the moment of loss, of the oldest acknowledged canary the surviving regions do not have (the window of acknowledged writes lost; 0 when none is missing), to within the canaries' 1 s spacing.";
        if (_losses.Count == 0)
        {
            text += " No region was lost during the drill.";
        }

        foreach (var loss in _losses)
        {
            text += string.Create(inv, $" {loss.Region} lost at {loss.At:HH:mm:ss} UTC: {loss.LostCanaries} canaries missing, oldest {loss.Age.TotalSeconds:0.0} s old; twin truth: {loss.TwinLost} writes lost, oldest {loss.TwinOldest.TotalSeconds:0.0} s old.");
        }

        text += string.Create(inv, $" Largest canary replication gap seen between any two live regions: {m.MaxCanaryGap.TotalSeconds:0.0} s.");
        if (_cutoverCompleted && m.RestoredTo is { } restoredTo)
        {
            text += string.Create(inv, $" The target region was cut over to a table restored to {restoredTo:HH:mm:ss} UTC, {Format(Max(TimeSpan.Zero, (m.FaultStart ?? restoredTo) - restoredTo))} before the fault: that rollback counts in the RPO (writes after it are not in the restored table and need replay).");
        }

        return text;
    }

    private void ObserveCanaries(EstateTruth truth)
    {
        foreach (var region in truth.Canaries.Regions)
        {
            if (!_canaryAcks.TryGetValue(region.Code, out var acks))
            {
                _canaryAcks[region.Code] = acks = [];
            }

            if (region.LastAcknowledgedAt is { } at && (acks.Count == 0 || acks[^1].Sequence < region.LastSequence))
            {
                acks.Add((region.LastSequence, at));
            }
        }

        foreach (var region in truth.Regions)
        {
            var wasDown = _down.GetValueOrDefault(region.Code);
            _down[region.Code] = region.Down;
            if (region.Down && !wasDown && _previous is { } before)
            {
                RecordLoss(region.Code, truth, before);
            }
        }

        foreach (var pair in truth.Canaries.Pairs)
        {
            if (_down.GetValueOrDefault(pair.From) || _down.GetValueOrDefault(pair.To))
            {
                continue;
            }

            var last = truth.Canaries.Region(pair.From).LastSequence;
            if (last > pair.LastReceivedSequence && AckOf(pair.From, pair.LastReceivedSequence + 1) is { } oldest)
            {
                _maxCanaryGap = Max(_maxCanaryGap, truth.At - oldest);
            }
        }
    }

    /// <summary>The region went down between <paramref name="before"/> and <paramref name="truth"/>: what did the survivors miss?</summary>
    private void RecordLoss(string code, EstateTruth truth, EstateTruth before)
    {
        var lossAt = before.At;
        var survivors = truth.Regions.Where(r => !r.Down && r.Code != code).Select(r => r.Code).ToList();
        var received = survivors.Count == 0 ? 0 : survivors.Max(s => truth.Canaries.Received(code, s));
        var last = truth.Canaries.Region(code).LastSequence;
        var age = last > received && AckOf(code, received + 1) is { } oldest ? lossAt - oldest : TimeSpan.Zero;
        var twin = before.Regions.First(r => r.Code == code);
        var twinLost = truth.Writes.Lost - before.Writes.Lost;
        _losses.Add((code, lossAt, Math.Max(0, last - received), Max(TimeSpan.Zero, age), twinLost, twin.OldestUnreplicatedAge));
        Add(lossAt, DrillEventKinds.Note, string.Create(CultureInfo.InvariantCulture,
            $"{code} is lost: {Math.Max(0, last - received)} canaries (of sequence {received + 1}–{last}) never reached another region; oldest {age.TotalSeconds:0.0} s old."), "canaries");
    }

    /// <summary>When canary <paramref name="sequence"/> (or the first seen after it) was acknowledged.</summary>
    private DateTimeOffset? AckOf(string region, long sequence)
    {
        if (!_canaryAcks.TryGetValue(region, out var acks) || acks.Count == 0)
        {
            return null;
        }

        int lo = 0, hi = acks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (acks[mid].Sequence < sequence)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return acks[lo].Sequence >= sequence ? acks[lo].At : null;
    }

    private void RecordShapes(EstateTruth truth)
    {
        var bucket = new DateTimeOffset(truth.At.UtcTicks - (truth.At.UtcTicks % MetricResolution.Ticks), TimeSpan.Zero);
        foreach (var pair in truth.Pairs.Where(p => !p.SourceDown))
        {
            var key = $"{pair.From}>{pair.To}";
            _lagWindowMax[key] = Math.Max(_lagWindowMax.GetValueOrDefault(key), pair.LagMs);
        }

        if (truth.At != bucket)
        {
            return;
        }

        foreach (var region in truth.Regions)
        {
            Series(_shares, region.Code).Add(new DrillMetricPoint(truth.At, Math.Round(region.TrafficShare, 4)));
        }

        foreach (var (key, max) in _lagWindowMax)
        {
            Series(_lags, key).Add(new DrillMetricPoint(truth.At, Math.Round(max, 1)));
        }

        _lagWindowMax.Clear();

        static List<DrillMetricPoint> Series(Dictionary<string, List<DrillMetricPoint>> map, string key)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            return list;
        }
    }

    private ImmutableArray<DrillMetricSeries> Metrics()
    {
        var series = ImmutableArray.CreateBuilder<DrillMetricSeries>();
        series.Add(new DrillMetricSeries("clients.success", "Synthetic clients' success ratio (1 s)", "ratio", [.. _success]));
        foreach (var (region, points) in _shares.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            series.Add(new DrillMetricSeries($"traffic.share.{region}", $"Share of client traffic sent to {region} (10 s)", "ratio", [.. points]));
        }

        foreach (var (pair, points) in _lags.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var parts = pair.Split('>');
            series.Add(new DrillMetricSeries($"replication.lag.{parts[0]}.{parts[1]}", $"Replication lag {parts[0]} → {parts[1]}, max over 10 s", "ms", [.. points]));
        }

        return series.ToImmutable();
    }

    private DrillTimelineEvent Add(DateTimeOffset at, string kind, string description, string? actor = null)
    {
        var e = new DrillTimelineEvent(at, kind, description, actor);
        _timeline.Add(e);
        return e;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Stamp(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    /// <summary>A duration for people: "0.4 s", "3 min 12 s", "2 h 5 min".</summary>
    public static string Format(TimeSpan span)
    {
        var inv = CultureInfo.InvariantCulture;
        if (span < TimeSpan.FromSeconds(10))
        {
            return span.TotalSeconds.ToString("0.0", inv) + " s";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return span.TotalSeconds.ToString("0", inv) + " s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return $"{(int)span.TotalMinutes} min {span.Seconds} s";
        }

        return $"{(int)span.TotalHours} h {span.Minutes} min";
    }

    private sealed class SeenOperation
    {
        public OperationState? State { get; set; }

        public int JournalLines { get; set; }

        public bool Approved { get; set; }

        public bool Finished { get; set; }
    }
}
