using System.Collections.Immutable;
using AWorld.Core.Anomalies;
using AWorld.Core.Estate;

namespace AWorld.Core.Telemetry;

/// <summary>
/// The estate at one moment, as every view shows it. Immutable; a new one is published on every poll. Values
/// are null where no data has arrived; <c>IsStale</c> marks data older than <see cref="TelemetryOptions.StaleAfter"/>,
/// with <c>DataAge</c> saying how old. <see cref="Anomalies"/> holds the open anomaly events and those that ended
/// recently, newest first.
/// </summary>
public sealed record EstateSnapshot(
    long Sequence,
    DateTimeOffset At,
    HealthStatus Overall,
    ImmutableArray<RegionSnapshot> Regions,
    ImmutableArray<ReplicationPairSnapshot> Replication,
    ImmutableArray<PitrWindow> Pitr,
    ImmutableArray<ActiveFault> Faults,
    DataAtRisk DataAtRisk,
    RecoveryObjectives Objectives,
    ImmutableArray<AnomalyEvent> Anomalies,
    PollingBudget? Polling = null)
{
    public RegionSnapshot? Region(string code) => Regions.FirstOrDefault(r => r.Code == code);
}

/// <summary>
/// One region. <see cref="TrafficShare"/> is the share of the estate's requests this region actually served over
/// the health window (from API Gateway's Count), not its DNS weight. Rates come from the newest complete periods;
/// <see cref="DataAge"/> is how long ago the newest metric period ended, and <see cref="IsStale"/> says the next one
/// is later than expected. <see cref="CanarySuccessRatio"/> is the share of canary writes that succeeded lately
/// (null without canaries); <see cref="CanaryLate"/> says a canary that reported has gone quiet.
/// </summary>
public sealed record RegionSnapshot(
    string Code,
    string DisplayName,
    RegionRole Role,
    HealthStatus Health,
    ImmutableArray<string> Reasons,
    double? TrafficShare,
    double? RequestsPerSecond,
    double? LatencyP99Ms,
    double? ErrorRate5xx,
    double? WritesPerSecond,
    double? LagInMs,
    double? LagOutMs,
    double? CheckersHealthyPercent,
    ImmutableArray<HealthCheckObservation> Checkers,
    TimeSpan? DataAge,
    bool IsStale,
    double EstimatedUnreplicatedWrites,
    TimeSpan? OldestUnreplicatedAge,
    double? CanarySuccessRatio = null,
    bool CanaryLate = false);

/// <summary>
/// Replication from one region to another: the worst ReplicationLatency over the tables they share, judged against
/// the RPO. Unreplicated writes are estimated as lag × the source's write rate.
/// </summary>
public sealed record ReplicationPairSnapshot(string From, string To, double? LagMs, TimeSpan? DataAge, bool IsStale, bool WithinRpo, double EstimatedUnreplicatedWrites);

/// <summary>The PITR window of one table replica.</summary>
public sealed record PitrWindow(string Table, string Region, DateTimeOffset? EarliestRestorable, DateTimeOffset? LatestRestorable, int RecoveryPeriodDays, TimeSpan? DataAge, bool IsStale, string? Error);

/// <summary>Writes acknowledged somewhere that no other region holds yet, estate-wide, and the age of the oldest.</summary>
public sealed record DataAtRisk(double EstimatedWrites, TimeSpan OldestAge);
