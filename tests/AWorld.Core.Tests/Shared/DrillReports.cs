using System.Collections.Immutable;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Core.Tests.Shared;

/// <summary>
/// Realistic after-action reports, built the way the drill runner fills them, for the evidence tests, the CLI tests
/// and the evidence benchmark (which links this file). Deterministic: the same arguments give the same report.
/// </summary>
internal static class DrillReports
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A region outage of eu-west-1, recovered by an approved failover: about 20 timeline events, three metric
    /// series of <paramref name="points"/> one-second points each, and <paramref name="auditEntries"/> audit entries
    /// continuing the chain after <paramref name="previous"/> (the chain's start when null). Signed off.
    /// </summary>
    public static (DrillReport Report, ImmutableArray<AuditEntry> Audit) RegionOutage(
        int number = 1, DateTimeOffset? start = null, int auditEntries = 60, AuditEntry? previous = null, int points = 3600)
    {
        var t0 = start ?? Start;
        var random = new Random(number);
        var faultAt = t0.AddMinutes(10);
        var detectedAt = faultAt.AddSeconds(72 + random.Next(0, 20));
        var recoveredAt = faultAt.AddSeconds(540 + random.Next(0, 120));
        var endAt = t0.AddSeconds(points);
        var id = $"drill-{t0:yyyyMMdd}-{number:000}";

        var timeline = ImmutableArray.Create(
            new DrillTimelineEvent(t0, DrillEventKinds.DrillStart, "Drill started: region outage of eu-west-1, human response", "dana"),
            new DrillTimelineEvent(t0.AddSeconds(5), DrillEventKinds.Note, "Baseline: success ratio 99.9%, replication lag < 1 s", null),
            new DrillTimelineEvent(faultAt, DrillEventKinds.FaultStart, "Fault injected: outage eu-west-1 (API Gateway, Lambda, DynamoDB endpoint unreachable)", "drill-runner"),
            new DrillTimelineEvent(faultAt.AddSeconds(30), DrillEventKinds.Note, "First Route 53 checker reports eu-west-1 unhealthy", null),
            new DrillTimelineEvent(detectedAt, DrillEventKinds.Detection, "eu-west-1 unhealthy: 3 of 3 checker regions agree, failure threshold 3", "monitor"),
            new DrillTimelineEvent(detectedAt.AddSeconds(4), DrillEventKinds.Note, "Anomaly score of eu-west-1 5xx rate 0.97", null),
            new DrillTimelineEvent(detectedAt.AddSeconds(20), DrillEventKinds.Decision, "Failover of eu-west-1 proposed: replication lag 0.8 s inside the RPO budget, \"data at risk\" 212 writes", "countermeasures"),
            new DrillTimelineEvent(detectedAt.AddSeconds(65), DrillEventKinds.Step, "Operation op-0042 requested: failover eu-west-1 → eu-central-1", "olivia"),
            new DrillTimelineEvent(detectedAt.AddSeconds(140), DrillEventKinds.Approval, "Operation op-0042 approved (plan hash 7f3a…, two-person rule)", "marek"),
            new DrillTimelineEvent(detectedAt.AddSeconds(142), DrillEventKinds.Step, "Safety checks passed: eu-central-1 healthy, lease acquired (fencing token 17)", "executor"),
            new DrillTimelineEvent(detectedAt.AddSeconds(144), DrillEventKinds.Step, "Routing control eu-west-1 set OFF", "executor"),
            new DrillTimelineEvent(detectedAt.AddSeconds(146), DrillEventKinds.Step, "Routing control eu-central-1 confirmed ON", "executor"),
            new DrillTimelineEvent(detectedAt.AddSeconds(150), DrillEventKinds.Step, "DNS TTL 60 s: waiting for resolvers", "executor"),
            new DrillTimelineEvent(detectedAt.AddSeconds(260), DrillEventKinds.Step, "Verification: eu-central-1 serves 100% of traffic", "executor"),
            new DrillTimelineEvent(recoveredAt, DrillEventKinds.Recovery, "Synthetic clients at ≥ 99% success for 60 s", "monitor"),
            new DrillTimelineEvent(recoveredAt.AddMinutes(5), DrillEventKinds.Note, "Canary sequence gap measured: 3 writes lost from eu-west-1", null),
            new DrillTimelineEvent(t0.AddMinutes(40), DrillEventKinds.FaultEnd, "Fault removed: eu-west-1 reachable again", "drill-runner"),
            new DrillTimelineEvent(t0.AddMinutes(45), DrillEventKinds.Step, "Failback op-0043 requested and approved", "olivia, marek"),
            new DrillTimelineEvent(t0.AddMinutes(52), DrillEventKinds.Step, "Failback verified: eu-west-1 at 50% share", "executor"),
            new DrillTimelineEvent(endAt, DrillEventKinds.DrillEnd, "Drill ended", "dana"));

        var metrics = ImmutableArray.Create(
            Series("clients.success-ratio", "Synthetic client success ratio", "%", t0, points, faultAt, recoveredAt, random, s => s switch
            {
                Phase.Normal => 99.9,
                Phase.Fault => 52,
                _ => 99.7,
            }),
            Series("replication.lag.eu-west-1.eu-central-1", "Replication lag eu-west-1 → eu-central-1", "ms", t0, points, faultAt, recoveredAt, random, s => s switch
            {
                Phase.Normal => 650,
                Phase.Fault => 1800,
                _ => 700,
            }),
            Series("api.latency.p99.eu-central-1", "API latency p99, eu-central-1", "ms", t0, points, faultAt, recoveredAt, random, s => s switch
            {
                Phase.Normal => 180,
                Phase.Fault => 260,
                _ => 240,
            }));

        var audit = Audit(id, t0, endAt, auditEntries, previous);
        var rto = recoveredAt - faultAt;
        var report = new DrillReport(
            id,
            "Scheduled DR drill",
            DrillScenario.RegionOutage,
            "Region outage of eu-west-1 (Ireland)",
            "eu-west-1",
            "Production-like twin of the estate: eu-west-1 and eu-central-1 active, eu-north-1 backup; all customer APIs, the orders and accounts global tables.",
            new DrillCriteria(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5)),
            new RecoveryObjectives(TimeSpan.FromHours(24), TimeSpan.FromHours(1)),
            "DR plan v3.2 (2026-02-14)",
            ["eu-west-1", "eu-central-1", "eu-north-1"],
            ResponsePolicy.Human,
            [
                new DrillParticipant("dana", "Admin", "Drill lead, ran the drill"),
                new DrillParticipant("olivia", "Operator", "Requested failover and failback"),
                new DrillParticipant("marek", "Approver", "Approved failover and failback"),
                new DrillParticipant("noc-wall", "Viewer", "Watched region health and raised the alert"),
                new DrillParticipant("countermeasures", "System", "Proposed the failover"),
            ],
            t0,
            endAt,
            timeline,
            detectedAt - faultAt,
            new MeasuredObjective(rto, TimeSpan.FromMinutes(30), true, "From fault start to the first moment synthetic clients in every active region saw ≥ 99% success for 60 s, sampled every second"),
            new MeasuredObjective(TimeSpan.FromSeconds(2.4), TimeSpan.FromMinutes(5), true, "Canary writes every 100 ms per region with sequence numbers; the newest sequence from eu-west-1 found in eu-central-1 after recovery, against the newest acknowledged"),
            true,
            $"Passed: RTO {rto.TotalMinutes:0.0} min against 30 min, RPO 2.4 s against 5 min.",
            [new RestoreIntegrityResult("orders", "eu-central-1", faultAt.AddSeconds(-60), true, "Restored to a new table orders-restore-0302; 48,210 items, checksums of 200 sampled items match")],
            ["Approval took 75 s longer than the runbook's 60 s because the approver re-entered credentials twice"],
            [
                new CorrectiveAction("Shorten the DNS TTL of api.aworld.example from 60 s to 30 s", "olivia", new DateOnly(2026, 3, 16), "open"),
                new CorrectiveAction("Add the approval step's expected duration, with a comma, and \"quotes\", to the runbook", "marek", new DateOnly(2026, 3, 20), "in progress"),
            ],
            null,
            audit[^1].Hash,
            DateOnly.FromDateTime(t0.AddDays(7).UtcDateTime),
            metrics);
        var (signed, missing) = report.TrySignOff("marek", "Approver", endAt.AddMinutes(30));
        return (signed ?? throw new InvalidOperationException("fixture incomplete: " + string.Join(", ", missing)), audit);
    }

    /// <summary>A chain of <paramref name="count"/> audit entries after <paramref name="previous"/>, spread over the drill.</summary>
    public static ImmutableArray<AuditEntry> Audit(string drillId, DateTimeOffset from, DateTimeOffset to, int count, AuditEntry? previous = null)
    {
        string[] actions = ["drill.start", "fault.inject", "operation.request", "operation.approve", "operation.step", "operation.verify", "fault.remove", "drill.end"];
        var entries = ImmutableArray.CreateBuilder<AuditEntry>(count);
        var step = (to - from) / Math.Max(1, count);
        for (var i = 0; i < count; i++)
        {
            var action = i < actions.Length - 1 ? actions[i] : i == count - 1 ? "drill.end" : "operation.step";
            var unhashed = new AuditEntry(
                (previous?.Sequence ?? 0) + 1, (from + (step * i)).ToUniversalTime(), i % 3 == 0 ? "olivia" : "executor", i % 3 == 0 ? "Operator" : "System",
                action, $"{drillId} eu-west-1", "succeeded", i % 5 == 0 ? null : $"step {i}", previous?.Hash ?? AuditEntry.GenesisHash, Hash: "");
            previous = unhashed with { Hash = unhashed.ComputeHash() };
            entries.Add(previous);
        }

        return entries.MoveToImmutable();
    }

    private enum Phase
    {
        Normal,
        Fault,
        Recovered,
    }

    private static DrillMetricSeries Series(
        string key, string label, string unit, DateTimeOffset from, int points, DateTimeOffset faultAt, DateTimeOffset recoveredAt, Random random, Func<Phase, double> level)
    {
        var values = ImmutableArray.CreateBuilder<DrillMetricPoint>(points);
        for (var s = 0; s < points; s++)
        {
            var at = from.AddSeconds(s);
            var phase = at < faultAt ? Phase.Normal : at < recoveredAt ? Phase.Fault : Phase.Recovered;
            var baseLevel = level(phase);
            var noise = (random.NextDouble() - 0.5) * baseLevel * 0.02;
            var value = Math.Round(baseLevel + noise, 3);
            values.Add(new DrillMetricPoint(at, unit == "%" ? Math.Min(100, value) : value));
        }

        return new DrillMetricSeries(key, label, unit, values.MoveToImmutable());
    }
}
