using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Estate;

namespace AWorld.Core.Drills;

/// <summary>
/// Writes the after-action report of a drill from its plan, the estate and what the <see cref="DrillObserver"/> saw.
/// Pure: the same inputs give the same report (the same bytes of report.json). What the report concludes is in one
/// table of rules, each with its condition, the deviation it records and the corrective action it opens with its
/// owner; the verdict compares the measurements with the plan's criteria.
/// </summary>
public static class DrillReportComposer
{
    /// <summary>Days the owner of a corrective action has to close it, from the drill's end.</summary>
    private const int ActionsDueInDays = 14;

    private const string OperationsLead = "Operations lead";
    private const string SreLead = "SRE lead";
    private const string DataPlatformOwner = "Data platform owner";

    private static readonly TimeSpan DefaultNextDrillIn = TimeSpan.FromDays(7);

    /// <summary>
    /// What a drill's outcome means, in the order the report lists it: deviations in this order after those found
    /// while observing, corrective actions in this order.
    /// </summary>
    private static readonly ImmutableArray<ReportRule> Rules =
    [
        new(
            "detection slower than the health checks promise",
            f => f.M.Detection is { } detection && detection > f.ExpectedDetection,
            Deviation: f => $"Detection took {Formats.Duration(f.M.Detection!.Value)}, longer than the {Formats.Duration(f.ExpectedDetection)} expected (health check every {f.Check.RequestIntervalSeconds} s × (threshold {f.Check.FailureThreshold} + 1))."),
        new(
            "never detected",
            f => f.M.Detection is null,
            Deviation: f => $"The monitor never showed {f.Plan.TargetRegion} other than Healthy during the drill."),
        new(
            "expected response not seen",
            f => !f.ResponseMet,
            Deviation: f => $"Expected response not seen: {f.Plan.Definition.ExpectedText}; observed: {f.ObservedResponse} ({f.Plan.Policy} policy).",
            Action: f => $"Review why the {f.Plan.Policy.ToString().ToLowerInvariant()} response to {f.Plan.Definition.Name} did not {f.Plan.Definition.ExpectedText}.",
            Owner: OperationsLead),
        new(
            "no recovery",
            f => f.M.RecoveredAt is null,
            Action: f => string.Create(CultureInfo.InvariantCulture, $"Clients did not recover to {DrillObserver.RecoveredRatio:P0} within {Formats.Duration(f.Plan.EffectiveObserveFor)} of the fault: find what blocked recovery."),
            Owner: SreLead),
        new(
            "RTO exceeded",
            f => f.M.RecoveredAt is not null && !f.RtoMet,
            Action: f => $"RTO {Formats.Duration(f.M.Rto!.Value)} exceeded the {Formats.Duration(f.Criteria.MaxRto)} criterion: shorten detection or the response.",
            Owner: SreLead),
        new(
            "RPO exceeded",
            f => !f.RpoMet,
            Action: f => $"RPO {Formats.Duration(f.M.Rpo)} exceeded the {Formats.Duration(f.Criteria.MaxRpo)} criterion: reduce replication lag or the restore gap.",
            Owner: DataPlatformOwner),
        new(
            "restore integrity failed",
            f => !f.IntegrityMet,
            Action: _ => "A restored table failed its integrity check: investigate before relying on PITR.",
            Owner: DataPlatformOwner),
        new(
            "relapse after the recovery",
            f => f.O.Relapse is not null,
            Deviation: f => string.Create(CultureInfo.InvariantCulture, $"Clients' success fell again to {f.O.Relapse!.SuccessRatio:P1} at {Formats.UtcTime(f.O.Relapse.At)} after the recovery.")),
    ];

    /// <summary>
    /// The after-action report: everything filled so that it can be signed off, except the sign-off itself. The
    /// timeline is the observation's, closed by the drill's end and sorted by time (events at the same moment in the
    /// order they were seen).
    /// </summary>
    /// <param name="plan">The drill's plan.</param>
    /// <param name="estate">The estate the drill ran on.</param>
    /// <param name="observation">What the observer saw, to the end of the drill.</param>
    /// <param name="drillId">The drill's id.</param>
    /// <param name="endedAt">When the drill ended.</param>
    /// <param name="auditChainHead">The audit log's head hash after the drill's last entry.</param>
    /// <param name="participants">Who took part, with their roles.</param>
    /// <param name="nextDrillIn">When the next drill is due; weekly by default.</param>
    public static DrillReport Compose(
        DrillPlan plan,
        EstateTopology estate,
        DrillObservation observation,
        string drillId,
        DateTimeOffset endedAt,
        string auditChainHead,
        ImmutableArray<DrillParticipant> participants,
        TimeSpan? nextDrillIn = null)
    {
        var facts = Facts.Of(plan, estate, observation);
        var m = facts.M;
        var criteria = facts.Criteria;
        var definition = plan.Definition;

        var deviations = new List<string>(observation.Deviations);
        var actions = new List<CorrectiveAction>();
        var due = DateOnly.FromDateTime(endedAt.UtcDateTime).AddDays(ActionsDueInDays);
        foreach (var rule in Rules.Where(r => r.Applies(facts)))
        {
            if (rule.Deviation is { } deviation)
            {
                deviations.Add(deviation(facts));
            }

            if (rule.Action is { } action)
            {
                actions.Add(new CorrectiveAction(action(facts), rule.Owner!, due, "Open"));
            }
        }

        var passed = facts.RtoMet && facts.RpoMet && facts.IntegrityMet && (definition.Expected != ExpectedResponse.RestoreAndCutover || observation.CutoverCompleted);
        var verdict = Verdict(facts, passed);
        var rtoMethod = string.Create(CultureInfo.InvariantCulture,
            $"From the fault's start ({Stamp(m.FaultStart)}, the fault injector's record) to the first second after which the synthetic clients' success ratio (twin ground truth, sampled every virtual second) stayed at or above {DrillObserver.RecoveredRatio:P0} for {DrillObserver.RecoveryWindow.TotalSeconds:0} s ({Stamp(m.RecoveredAt)}); lowest success after the fault {m.MinSuccessRatio:P1}.");

        var end = new DrillTimelineEvent(endedAt, DrillEventKinds.DrillEnd, $"Drill ends: {verdict}", "drill");
        var timeline = observation.Timeline.Add(end)
            .Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToImmutableArray();

        return new DrillReport(
            drillId,
            $"Simulated DR drill on the estate twin ({plan.Policy.ToString().ToLowerInvariant()} response)",
            plan.Scenario,
            definition.Description,
            plan.TargetRegion,
            Scope(facts),
            criteria,
            estate.Objectives,
            plan.Version(estate),
            [.. estate.Regions.Select(x => x.Code)],
            plan.Policy,
            participants,
            observation.StartedAt,
            endedAt,
            timeline,
            m.Detection,
            new MeasuredObjective(m.Rto, criteria.MaxRto, facts.RtoMet, rtoMethod),
            new MeasuredObjective(m.Rpo, criteria.MaxRpo, facts.RpoMet, RpoMethod(observation)),
            passed,
            verdict,
            observation.RestoreIntegrity,
            [.. deviations],
            [.. actions],
            null,
            auditChainHead,
            DateOnly.FromDateTime((endedAt + (nextDrillIn ?? DefaultNextDrillIn)).UtcDateTime),
            observation.Metrics);
    }

    private static string Verdict(Facts f, bool passed)
    {
        var m = f.M;
        var reasons = new List<string>
        {
            m.Rto is { } rto
                ? $"RTO {Formats.Duration(rto)} {(f.RtoMet ? "≤" : ">")} {Formats.Duration(f.Criteria.MaxRto)}"
                : string.Create(CultureInfo.InvariantCulture, $"clients never recovered to {DrillObserver.RecoveredRatio:P0} for {DrillObserver.RecoveryWindow.TotalSeconds:0} s within {Formats.Duration(f.Plan.EffectiveObserveFor)} (RTO not reached)"),
            $"RPO {Formats.Duration(m.Rpo)} {(f.RpoMet ? "≤" : ">")} {Formats.Duration(f.Criteria.MaxRpo)}",
        };
        if (!f.O.RestoreIntegrity.IsEmpty)
        {
            reasons.Add(f.IntegrityMet ? "restore integrity passed" : "restore integrity FAILED");
        }

        if (f.Plan.Definition.Expected == ExpectedResponse.RestoreAndCutover && !f.O.CutoverCompleted)
        {
            reasons.Add("no cutover to a clean restored table completed");
        }

        return (passed ? "Passed: " : "Failed: ") + string.Join("; ", reasons) + ".";
    }

    private static string Scope(Facts f)
    {
        var plan = f.Plan;
        var definition = plan.Definition;
        var peers = f.O.RegionsInScope.Where(x => x != plan.TargetRegion).ToList();
        var policyText = plan.Policy == ResponsePolicy.Automatic ? "automatic countermeasure ladder only" : "people request and approve operations (two-person rule)";
        var scope = $"{definition.Name} on {plan.TargetRegion}{(peers.Count > 0 ? $" (with {string.Join(", ", peers)})" : "")}: {definition.Description} Fault lasts {Formats.Duration(plan.EffectiveFaultDuration)} after a {Formats.Duration(plan.EffectiveWarmup)} warm-up; observed up to {Formats.Duration(plan.EffectiveObserveFor)} after the fault. Response: {policyText}; expected: {definition.ExpectedText}. Success: RTO ≤ {Formats.Duration(f.Criteria.MaxRto)}, RPO ≤ {Formats.Duration(f.Criteria.MaxRpo)}, measured on the estate twin (seed {plan.Seed}).";
        if (!plan.BackgroundFaults.IsDefaultOrEmpty)
        {
            scope += $" Background faults: {string.Join("; ", plan.BackgroundFaults.Select(b => $"{b.Kind.ToString().ToLowerInvariant()} {b.Region}{(b.PeerRegion is null ? "" : "-" + b.PeerRegion)}"))}.";
        }

        return scope;
    }

    private static string RpoMethod(DrillObservation o)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = o.Measurements;
        var text = "Canary writes: every region writes a sequence-numbered item each second that replicates like any write. When a region is lost, RPO is the age, at the moment of loss, of the oldest acknowledged canary the surviving regions do not have (the window of acknowledged writes lost; 0 when none is missing), to within the canaries' 1 s spacing.";
        if (o.Losses.IsEmpty)
        {
            text += " No region was lost during the drill.";
        }

        foreach (var loss in o.Losses)
        {
            text += string.Create(inv, $" {loss.Region} lost at {Formats.UtcTime(loss.At)}: {loss.LostCanaries} canaries missing, oldest {loss.Age.TotalSeconds:0.0} s old; twin truth: {loss.WritesLost} writes lost, oldest {loss.OldestLostWriteAge.TotalSeconds:0.0} s old.");
        }

        text += string.Create(inv, $" Largest canary replication gap seen between any two live regions: {m.MaxCanaryGap.TotalSeconds:0.0} s.");
        if (o.CutoverCompleted && m.RestoredTo is { } restoredTo)
        {
            var rollback = (m.FaultStart ?? restoredTo) - restoredTo;
            text += string.Create(inv, $" The target region was cut over to a table restored to {Formats.UtcTime(restoredTo)}, {Formats.Duration(rollback > TimeSpan.Zero ? rollback : TimeSpan.Zero)} before the fault: that rollback counts in the RPO (writes after it are not in the restored table and need replay).");
        }

        return text;
    }

    private static string Stamp(DateTimeOffset? at) => at is { } t ? Formats.UtcStamp(t) : "never";

    /// <summary>
    /// One conclusion of the report: when it <see cref="Applies"/>, the deviation it records and the corrective action
    /// it opens for <see cref="Owner"/> (either may be absent).
    /// </summary>
    private sealed record ReportRule(
        string Name,
        Func<Facts, bool> Applies,
        Func<Facts, string>? Deviation = null,
        Func<Facts, string>? Action = null,
        string? Owner = null);

    /// <summary>What the rules judge, computed once per report.</summary>
    private sealed record Facts(
        DrillPlan Plan,
        DrillObservation O,
        DrillCriteria Criteria,
        HealthCheckDefinition Check,
        TimeSpan ExpectedDetection,
        bool RtoMet,
        bool RpoMet,
        bool IntegrityMet,
        bool ResponseMet,
        string ObservedResponse)
    {
        public DrillMeasurements M => O.Measurements;

        public static Facts Of(DrillPlan plan, EstateTopology estate, DrillObservation o)
        {
            var m = o.Measurements;
            var criteria = plan.EffectiveCriteria(estate);
            var check = estate.HealthCheckFor(plan.TargetRegion);
            var responseMet = plan.Definition.Expected switch
            {
                ExpectedResponse.Failover => o.TrafficMovedAway,
                ExpectedResponse.RestoreAndCutover => o.CutoverCompleted,
                ExpectedResponse.LadderSteps => o.LadderStepSeen && !o.TrafficMovedAway,
                _ => !o.TrafficMovedAway,
            };
            var observed = o.TrafficMovedAway ? "a failover moved traffic away from the region" : o.LadderStepSeen ? "only ladder steps were taken" : "no completed response";
            return new Facts(
                plan,
                o,
                criteria,
                check,
                TimeSpan.FromSeconds(check.RequestIntervalSeconds * (check.FailureThreshold + 1)),
                m.Rto is { } rto && rto <= criteria.MaxRto,
                m.Rpo <= criteria.MaxRpo,
                o.RestoreIntegrity.All(r => r.Passed),
                responseMet,
                observed);
        }
    }
}
