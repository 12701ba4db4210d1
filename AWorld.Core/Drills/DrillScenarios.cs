using System.Collections.Immutable;
using AWorld.Core.Estate;

namespace AWorld.Core.Drills;

/// <summary>What the estate is expected to do about a scenario, so that a drill can say whether it did.</summary>
public enum ExpectedResponse
{
    /// <summary>Traffic leaves the region (a failover completes).</summary>
    Failover,

    /// <summary>A PITR restore to before the damage, then a cutover to the restored table.</summary>
    RestoreAndCutover,

    /// <summary>The ladder's bounded automatic steps (throttle a client, scale out); no traffic move.</summary>
    LadderSteps,

    /// <summary>Nothing may move traffic: the estate rides it out (a false alarm must not cause a failover).</summary>
    RideOut,
}

/// <summary>
/// One scenario: what it rehearses, the faults it injects on the target region, how long they last by default, and
/// the response expected from the estate.
/// </summary>
public sealed record DrillScenarioDefinition(
    DrillScenario Scenario,
    string Name,
    string Description,
    TimeSpan DefaultDuration,
    ExpectedResponse Expected,
    string ExpectedText,
    bool NeedsPeople)
{
    /// <summary>The faults to inject, starting <paramref name="delay"/> after injection; a partition cuts the target off from the first other region.</summary>
    public ImmutableArray<FaultSpec> Faults(EstateTopology estate, string target, TimeSpan duration, TimeSpan delay = default)
    {
        var peer = estate.Regions.Select(r => r.Code).FirstOrDefault(c => c != target);
        return Scenario switch
        {
            DrillScenario.RegionOutage => [new FaultSpec(FaultKind.Outage, target, Duration: duration, Delay: delay)],
            DrillScenario.NetworkPartition => [new FaultSpec(FaultKind.Partition, target, peer, Duration: duration, Delay: delay)],
            DrillScenario.LatencyDegradation => [new FaultSpec(FaultKind.Latency, target, Duration: duration, Delay: delay)],
            DrillScenario.ErrorSpike => [new FaultSpec(FaultKind.Errors, target, Duration: duration, Delay: delay)],
            DrillScenario.ThrottlingStorm => [new FaultSpec(FaultKind.Throttle, target, Duration: duration, Delay: delay, Client: "tenant-03")],
            DrillScenario.BadDeploy => [new FaultSpec(FaultKind.BadDeploy, target, Duration: duration, Delay: delay)],
            DrillScenario.CheckerFlapping => [new FaultSpec(FaultKind.Flap, target, Duration: duration, Delay: delay)],
            _ => [],
        };
    }
}

/// <summary>The seven scenarios a drill can rehearse, with their defaults.</summary>
public static class DrillScenarios
{
    public static ImmutableArray<DrillScenarioDefinition> All { get; } =
    [
        new(DrillScenario.RegionOutage, "region-outage",
            "The target region's endpoint and services stop answering; writes not yet replicated are lost.",
            TimeSpan.FromMinutes(30), ExpectedResponse.Failover,
            "fail the region over: traffic leaves it (automatically when Route 53 and CloudWatch agree it is down)", false),
        new(DrillScenario.NetworkPartition, "network-partition",
            "Replication between the target region and its first peer stalls; the backlog and the data at risk grow, then drain.",
            TimeSpan.FromMinutes(15), ExpectedResponse.RideOut,
            "no traffic move: both regions keep serving; the lag is watched against the RPO budget", false),
        new(DrillScenario.LatencyDegradation, "latency-degradation",
            "Every request in the target region takes 800 ms more.",
            TimeSpan.FromMinutes(15), ExpectedResponse.RideOut,
            "no traffic move: slow is not down; the region is shown Degraded", false),
        new(DrillScenario.ErrorSpike, "error-spike",
            "30% of the target region's requests answer 5xx.",
            TimeSpan.FromMinutes(15), ExpectedResponse.Failover,
            "the ladder proposes a failover (one signal only); people request and approve it", false),
        new(DrillScenario.ThrottlingStorm, "throttling-storm",
            "One client (tenant-03) sends 40 times its usual rate to the target region.",
            TimeSpan.FromMinutes(15), ExpectedResponse.LadderSteps,
            "the ladder throttles the client to twice its usual rate; no traffic move", false),
        new(DrillScenario.BadDeploy, "bad-deploy",
            "A bad deploy in the target region writes corrupt items into its global table for the fault's duration (then it is rolled back); the corrupt items replicate and stay.",
            TimeSpan.FromMinutes(10), ExpectedResponse.RestoreAndCutover,
            "restore the table (PITR) to just before the deploy, verify it holds no corrupt item, cut the region over to it", true),
        new(DrillScenario.CheckerFlapping, "checker-flapping",
            "Half of the Route 53 checkers' probes of the target region fail at random.",
            TimeSpan.FromMinutes(15), ExpectedResponse.RideOut,
            "no traffic move: one flapping signal must not fail a healthy region over", false),
    ];

    public static DrillScenarioDefinition Get(DrillScenario scenario) => All.First(d => d.Scenario == scenario);

    /// <summary>Reads a scenario by its name (<c>region-outage</c>) or enum name (<c>RegionOutage</c>), case-insensitively.</summary>
    public static bool TryParse(string text, out DrillScenario scenario)
    {
        var match = All.FirstOrDefault(d => string.Equals(d.Name, text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.Scenario.ToString(), text, StringComparison.OrdinalIgnoreCase));
        scenario = match?.Scenario ?? default;
        return match is not null;
    }
}
