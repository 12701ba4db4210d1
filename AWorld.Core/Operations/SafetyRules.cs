using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Operations;

/// <summary>Everything the rules look at, taken at one moment.</summary>
public sealed record SafetyContext(
    Operation Operation,
    EstateSnapshot? Snapshot,
    EstateTopology Estate,
    IReadOnlyList<Operation> OtherOpen,
    DateTimeOffset? LastTrafficMove,
    DateTimeOffset Now,
    OperationsOptions Options);

/// <summary>
/// The safety rules, checked at request, at approval and again just before each step. Each has a name and says
/// in plain words why it blocks. An Admin's override (with a reason) lets a blocking rule pass, flagged.
/// </summary>
public static class SafetyRules
{
    public const string AtLeastOneRegionServes = "at-least-one-region-serves";
    public const string TargetIndependentlyHealthy = "target-independently-healthy";
    public const string ReplicationWithinRpo = "replication-within-rpo";
    public const string OneOperationAtATime = "one-operation-at-a-time";
    public const string Cooldown = "cooldown";
    public const string RestoreWithinPitrWindow = "restore-within-pitr-window";

    public static readonly IReadOnlyList<string> Names = [AtLeastOneRegionServes, TargetIndependentlyHealthy, ReplicationWithinRpo, OneOperationAtATime, Cooldown, RestoreWithinPitrWindow];

    public static ImmutableArray<RuleResult> Evaluate(SafetyContext c)
    {
        var op = c.Operation;
        var results = op.MovesTraffic
            ? new[] { Serving(c), TargetHealthy(c), Replication(c), OneAtATime(c), CooldownRule(c) }
            : c.Operation.Request.Kind == OperationKind.Restore ? [OneAtATime(c), PitrWindow(c)] : [OneAtATime(c)];
        return [.. results.Select(r => Apply(r, op))];
    }

    public static bool AllPass(ImmutableArray<RuleResult> results) => results.All(r => r.Passed);

    public static string Blocking(ImmutableArray<RuleResult> results) =>
        string.Join(" ", results.Where(r => !r.Passed).Select(r => $"[{r.Rule}] {r.Reason}"));

    private static RuleResult Apply(RuleResult result, Operation op)
    {
        if (result.Passed)
        {
            return result;
        }

        if (result.NeedsAcceptance && op.DataAtRiskAccepted)
        {
            return result with { Passed = true, Reason = result.Reason + $" Accepted by {op.ApprovedBy}." };
        }

        var over = op.Overrides.LastOrDefault(o => o.Rule == result.Rule);
        return over is null ? result : result with { Passed = true, Overridden = true, Reason = $"OVERRIDDEN by {over.By}: {over.Reason} (rule said: {result.Reason})" };
    }

    private static RuleResult Serving(SafetyContext c)
    {
        var serving = c.Operation.Plan.TargetWeights.Where(kv => kv.Value > 0 && IsServing(c.Snapshot?.Region(kv.Key))).Select(kv => kv.Key).ToList();
        return serving.Count > 0
            ? Pass(AtLeastOneRegionServes, $"{string.Join(", ", serving)} will keep serving.")
            : Block(AtLeastOneRegionServes, "After this change no healthy region would take traffic: "
                + string.Join("; ", c.Operation.Plan.TargetWeights.Select(kv => $"{kv.Key} weight {kv.Value}, {c.Snapshot?.Region(kv.Key)?.Health.ToString() ?? "Unknown"}")) + ".");
    }

    private static RuleResult TargetHealthy(SafetyContext c)
    {
        var plan = c.Operation.Plan;
        List<string> targets = c.Operation.Request.Kind == OperationKind.Failback
            ? [plan.From]
            : [.. plan.TargetWeights.Where(kv => kv.Value > 0).Select(kv => kv.Key)];
        var unhealthy = targets.Select(t => (Region: t, Snapshot: c.Snapshot?.Region(t))).Where(t => !IsServing(t.Snapshot)).ToList();
        return unhealthy.Count == 0
            ? Pass(TargetIndependentlyHealthy, $"{string.Join(", ", targets)} healthy by their own Route 53 checks and metrics.")
            : Block(TargetIndependentlyHealthy, string.Join(" ", unhealthy.Select(t =>
                $"{t.Region} is {t.Snapshot?.Health.ToString() ?? "Unknown"} by its own checks: {string.Join(" ", t.Snapshot?.Reasons ?? ["no data."])}")));
    }

    private static RuleResult Replication(SafetyContext c)
    {
        var plan = c.Operation.Plan;
        if (c.Operation.Request.Kind == OperationKind.Failback)
        {
            // Traffic returns to a region that has been receiving replication all along: check it caught up.
            var lagIn = c.Snapshot?.Replication.Where(p => p.To == plan.From && p.LagMs is not null).ToList() ?? [];
            var behind = lagIn.Where(p => p.IsStale || p.LagMs > c.Estate.Objectives.Rpo.TotalMilliseconds).ToList();
            return behind.Count == 0
                ? Pass(ReplicationWithinRpo, $"{plan.From} has caught up: replication into it is within the RPO.")
                : NeedsAcceptance($"{plan.From} is behind: " + string.Join("; ", behind.Select(p => $"{p.From} → {p.To} {Lag(p)}")) + $", over the RPO of {c.Estate.Objectives.Rpo}.");
        }

        var receivers = plan.TargetWeights.Where(kv => kv.Value > 0 && kv.Key != plan.From).Select(kv => kv.Key).ToHashSet();
        var pairs = c.Snapshot?.Replication.Where(p => p.From == plan.From && receivers.Contains(p.To)).ToList() ?? [];
        var rpo = c.Estate.Objectives.Rpo;
        var risk = $"about {plan.DataAtRiskWrites:0} writes acknowledged in {plan.From} are in no other region yet (oldest {plan.DataAtRiskAge.TotalSeconds:0.0} s)";

        // A pair whose source went quiet keeps its last measured lag: failing over does not lose more than that.
        var late = pairs.Where(p => p.LagMs is null || p.LagMs > rpo.TotalMilliseconds).ToList();
        if (pairs.Count > 0 && late.Count == 0)
        {
            var quiet = pairs.Any(p => p.IsStale) ? $" (last measured {pairs.Max(p => p.DataAge)?.TotalSeconds:0} s ago, before {plan.From} went quiet)" : "";
            return Pass(ReplicationWithinRpo, $"Replication from {plan.From} is within the RPO of {rpo}{quiet}; {risk}.");
        }

        return NeedsAcceptance($"Replication from {plan.From} is " + (pairs.Count == 0 ? "unmeasured" : string.Join("; ", late.Select(p => $"to {p.To} {Lag(p)}")))
            + $" against an RPO of {rpo}; {risk}. The approver must accept this data at risk.");
    }

    private static RuleResult OneAtATime(SafetyContext c)
    {
        var running = c.OtherOpen.Where(o => o.State is OperationState.Approved or OperationState.Executing).ToList();
        return running.Count == 0
            ? Pass(OneOperationAtATime, "No other operation is approved or running.")
            : Block(OneOperationAtATime, $"{string.Join(", ", running.Select(o => $"{o.Id} ({o.Request.Kind} {o.Request.From}, {o.State})"))} must finish first.");
    }

    private static RuleResult CooldownRule(SafetyContext c)
    {
        if (c.LastTrafficMove is not { } last || c.Now - last >= c.Options.Cooldown)
        {
            return Pass(Cooldown, "No traffic move within the cooldown.");
        }

        return Block(Cooldown, $"Traffic last moved at {last:u}; wait until {last + c.Options.Cooldown:u} (cooldown {c.Options.Cooldown}) so that the estate does not flap.");
    }

    private static RuleResult PitrWindow(SafetyContext c)
    {
        var plan = c.Operation.Plan;
        var window = c.Snapshot?.Pitr.FirstOrDefault(p => p.Table == plan.RestoreTable && p.Region == plan.From);
        if (window?.EarliestRestorable is not { } earliest || window.LatestRestorable is not { } latest)
        {
            return Block(RestoreWithinPitrWindow, $"The PITR window of {plan.RestoreTable} in {plan.From} is not known yet{(window?.Error is { } e ? ": " + e : "")}.");
        }

        return plan.PointInTime >= earliest && plan.PointInTime <= latest
            ? Pass(RestoreWithinPitrWindow, $"{plan.PointInTime:u} is within the window {earliest:u} to {latest:u}.")
            : Block(RestoreWithinPitrWindow, $"{plan.PointInTime:u} is outside the restorable window of {plan.RestoreTable} in {plan.From}: {earliest:u} to {latest:u}.");
    }

    private static bool IsServing(RegionSnapshot? r) =>
        r is not null && !r.IsStale && r.Health is HealthStatus.Healthy or HealthStatus.Degraded && r.CheckersHealthyPercent > 18;

    private static string Lag(ReplicationPairSnapshot p) =>
        p.LagMs is null ? "unmeasured" : p.IsStale ? $"unknown (last {p.LagMs / 1000:0.0} s, data {p.DataAge?.TotalSeconds:0} s old)" : $"{p.LagMs / 1000:0.0} s behind";

    private static RuleResult Pass(string rule, string reason) => new(rule, true, reason);

    private static RuleResult Block(string rule, string reason) => new(rule, false, reason);

    private static RuleResult NeedsAcceptance(string reason) => new(ReplicationWithinRpo, false, reason, NeedsAcceptance: true);
}
