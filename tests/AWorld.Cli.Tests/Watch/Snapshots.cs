using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Cli.Tests.Watch;

/// <summary>Hand-built snapshots: three regions, eu-central-1 down and its data stale, one fault running.</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset At = new(2026, 11, 27, 6, 22, 47, TimeSpan.Zero);

    public static EstateSnapshot WithCentralDown() => new(
        Sequence: 1234,
        At: At,
        Overall: HealthStatus.Degraded,
        Regions:
        [
            Region("eu-west-1", RegionRole.Active, HealthStatus.Healthy, share: 0.998, rps: 412.4, p99: 182, errors: 0.0012, lagIn: null, lagOut: 640, age: TimeSpan.FromSeconds(2), stale: false),
            Region("eu-central-1", RegionRole.Active, HealthStatus.Unhealthy, share: 0.002, rps: null, p99: null, errors: null, lagIn: null, lagOut: null, age: TimeSpan.FromSeconds(95), stale: true),
            Region("eu-north-1", RegionRole.Backup, HealthStatus.Healthy, share: 0, rps: 0, p99: null, errors: null, lagIn: 640, lagOut: null, age: TimeSpan.FromSeconds(2), stale: false),
        ],
        Replication:
        [
            new ReplicationPairSnapshot("eu-west-1", "eu-north-1", 640, TimeSpan.FromSeconds(1), false, true, 263.9),
            new ReplicationPairSnapshot("eu-central-1", "eu-west-1", 1_250_000, TimeSpan.FromSeconds(95), true, false, 0),
            new ReplicationPairSnapshot("eu-north-1", "eu-west-1", null, null, true, false, 0),
        ],
        Pitr: [new PitrWindow("orders", "eu-west-1", At.AddDays(-35), At.AddMinutes(-5), 35, TimeSpan.FromMinutes(3), false, null)],
        Faults: [new ActiveFault("f-1", new FaultSpec(FaultKind.Outage, "eu-central-1", Duration: TimeSpan.FromMinutes(20)), At.AddMinutes(-2), At.AddMinutes(18), "operator")],
        DataAtRisk: new DataAtRisk(263.9, TimeSpan.FromMilliseconds(640)),
        Objectives: new RecoveryObjectives(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(5)),
        Anomalies: []);

    private static RegionSnapshot Region(
        string code, RegionRole role, HealthStatus health, double? share, double? rps, double? p99, double? errors, double? lagIn, double? lagOut, TimeSpan age, bool stale) =>
        new(code, code, role, health, ["reason one.", "reason two."], share, rps, p99, errors, WritesPerSecond: rps is null ? null : rps * 0.4, lagIn, lagOut,
            CheckersHealthyPercent: stale ? 0 : 100,
            Checkers: [new HealthCheckObservation("us-east-1", "15.177.0.1", At, !stale, stale ? "Failure: timeout" : "Success: HTTP 200")],
            DataAge: age, IsStale: stale, EstimatedUnreplicatedWrites: 0, OldestUnreplicatedAge: stale ? null : TimeSpan.FromMilliseconds(640));
}
