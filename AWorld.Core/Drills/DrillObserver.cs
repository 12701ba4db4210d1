using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

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
    private readonly HashSet<string> _regionsInScope;
    private readonly List<DrillTimelineEvent> _timeline = [];
    private readonly List<string> _extraDeviations = [];
    private readonly List<RestoreIntegrityResult> _integrity = [];
    private readonly Dictionary<string, SeenOperation> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Sequence, DateTimeOffset At)>> _canaryAcks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _down = new(StringComparer.Ordinal);
    private readonly List<DrillRegionLoss> _losses = [];
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

    public DrillObserver(DrillPlan plan, EstateTopology estate, DateTimeOffset startedAt)
    {
        _plan = plan;
        StartedAt = startedAt;
        _regionsInScope = new HashSet<string>(StringComparer.Ordinal) { plan.TargetRegion };
        foreach (var fault in plan.Definition.Faults(estate, plan.TargetRegion, plan.EffectiveFaultDuration))
        {
            if (fault.PeerRegion is { } peer)
            {
                _regionsInScope.Add(peer);
            }
        }

        Add(startedAt, DrillEventKinds.DrillStart, $"Drill of {plan.Definition.Name} on {plan.TargetRegion} starts ({plan.Policy} response; warm-up {Formats.Duration(plan.EffectiveWarmup)}).");
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
            _losses.Sum(l => l.WritesLost),
            _losses.Count == 0 ? null : _losses.Max(l => l.OldestLostWriteAge),
            _maxCanaryGap,
            _minRatio,
            _restoredTo);
    }

    /// <summary>
    /// What the observer has seen so far, frozen: the measurements, the timeline, restore checks, deviations and the
    /// facts the report judges. The observer keeps observing; call it at the end for the report
    /// (<see cref="DrillReportComposer.Compose"/>).
    /// </summary>
    public DrillObservation ToObservation() => new(
        StartedAt,
        Measure(),
        [.. _timeline],
        [.. _integrity],
        [.. _extraDeviations],
        [.. _regionsInScope],
        [.. _losses],
        _trafficMovedAway,
        _ladderStepSeen,
        _cutoverCompleted,
        _relapseAt is { } relapse ? new DrillRelapse(relapse, _relapseRatio) : null,
        Metrics());

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
        _losses.Add(new DrillRegionLoss(code, lossAt, Math.Max(0, last - received), Max(TimeSpan.Zero, age), twinLost, twin.OldestUnreplicatedAge));
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

    private sealed class SeenOperation
    {
        public OperationState? State { get; set; }

        public int JournalLines { get; set; }

        public bool Approved { get; set; }

        public bool Finished { get; set; }
    }
}
