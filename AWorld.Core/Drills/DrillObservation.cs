using System.Collections.Immutable;

namespace AWorld.Core.Drills;

/// <summary>
/// What a drill measured: when the fault started (the fault injector's record), when the monitor first showed the target region
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
    long WritesLost,
    TimeSpan? OldestLostWriteAge,
    TimeSpan MaxCanaryGap,
    double MinSuccessRatio,
    DateTimeOffset? RestoredTo);

/// <summary>
/// A region lost during the drill: the canaries its survivors never received (and the age of the oldest of them, at
/// <see cref="At"/>, the last second it was up), and the twin's own count of the writes lost with it.
/// </summary>
public sealed record DrillRegionLoss(string Region, DateTimeOffset At, long LostCanaries, TimeSpan Age, long WritesLost, TimeSpan OldestLostWriteAge);

/// <summary>Clients' success fell below the recovered ratio again after the recovery: the first such second and its ratio.</summary>
public sealed record DrillRelapse(DateTimeOffset At, double SuccessRatio);

/// <summary>
/// Everything a <see cref="DrillObserver"/> saw, frozen at one moment (<see cref="DrillObserver.ToObservation"/>):
/// what <see cref="DrillReportComposer"/> needs to write the report, and nothing it has to judge.
/// </summary>
/// <param name="StartedAt">When the drill started.</param>
/// <param name="Measurements">The measured times, RTO and RPO.</param>
/// <param name="Timeline">Events in the order they were seen (not yet sorted by time).</param>
/// <param name="RestoreIntegrity">Restored tables checked against the twin's truth.</param>
/// <param name="Deviations">Deviations found while observing (a failed operation, one added by the runner or a person), in order.</param>
/// <param name="RegionsInScope">The target region first, then the fault's peer regions.</param>
/// <param name="Losses">Regions lost during the drill, in order.</param>
/// <param name="TrafficMovedAway">A failover of a region in scope completed.</param>
/// <param name="LadderStepSeen">The ladder took an automatic step (throttle, scale out) on a region in scope after the fault.</param>
/// <param name="CutoverCompleted">The target region was cut over to a restored table.</param>
/// <param name="Relapse">Clients failed again after the recovery; null when they did not (or never recovered).</param>
/// <param name="Metrics">The series behind the report's charts.</param>
public sealed record DrillObservation(
    DateTimeOffset StartedAt,
    DrillMeasurements Measurements,
    ImmutableArray<DrillTimelineEvent> Timeline,
    ImmutableArray<RestoreIntegrityResult> RestoreIntegrity,
    ImmutableArray<string> Deviations,
    ImmutableArray<string> RegionsInScope,
    ImmutableArray<DrillRegionLoss> Losses,
    bool TrafficMovedAway,
    bool LadderStepSeen,
    bool CutoverCompleted,
    DrillRelapse? Relapse,
    ImmutableArray<DrillMetricSeries> Metrics);
