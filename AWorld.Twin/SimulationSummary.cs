namespace AWorld.Twin;

/// <summary>
/// What a headless run of the twin produced. Everything in it derives from the seed, the estate and the faults,
/// never from the wall clock, so two runs with the same inputs serialise to the same bytes.
/// </summary>
public sealed record SimulationSummary(
    long Seed,
    DateTimeOffset StartTime,
    double DurationSeconds,
    HealthCheckSummary HealthCheck,
    int DnsTtlSeconds,
    IReadOnlyList<FaultSummary> Faults,
    IReadOnlyList<RegionSummary> Regions,
    IReadOnlyList<ReplicationSummary> Replication,
    WritesSummary Writes,
    ClientsSummary Clients);

public sealed record HealthCheckSummary(int IntervalSeconds, int FailureThreshold, int CheckerLocations);

public sealed record FaultSummary(string Id, string Kind, string Region, string? PeerRegion, double Magnitude, double AtSeconds, double? DurationSeconds);

/// <summary>
/// A region's run: its health as the console judged it (from telemetry), Route 53's endpoint status, and the
/// share of client traffic sent to it, each as a list of changes.
/// </summary>
public sealed record RegionSummary(
    string Code,
    string Role,
    IReadOnlyList<HealthTransition> HealthTransitions,
    IReadOnlyList<Route53Transition> Route53Transitions,
    IReadOnlyList<ShareChange> TrafficShareTimeline);

public sealed record HealthTransition(double AtSeconds, string Status, IReadOnlyList<string> Reasons);

public sealed record Route53Transition(double AtSeconds, bool Healthy);

public sealed record ShareChange(double AtSeconds, double Share);

/// <summary>Lag over the run while the source was up; null when the source wrote nothing (no ReplicationLatency data).</summary>
public sealed record ReplicationSummary(string From, string To, double? MaxLagMs, double? P50LagMs);

/// <summary>acknowledged = replicated (reached another region) + lost + pending.</summary>
public sealed record WritesSummary(long Acknowledged, long Replicated, long Lost, long Pending);

public sealed record ClientsSummary(long Requests, long Failed, double SuccessRate);
