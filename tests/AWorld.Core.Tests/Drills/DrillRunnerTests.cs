using System.Text.RegularExpressions;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Drills;

public partial class DrillRunnerTests
{
    private const string Target = "eu-west-1";

    private static Task<RecordedDrill> Outage() =>
        DrillRuns.GetAsync("outage-auto-43", new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Seed: 43));

    [Fact]
    public async Task RegionOutage_Automatic_RtoIsTheTruthsRecoveryMomentMinusTheFaultStart()
    {
        var drill = await Outage();

        var recovery = drill.RecoveryFromTruth();
        Assert.NotNull(recovery);
        Assert.Equal(recovery - drill.FaultStart, drill.Report.Rto.Achieved);
        Assert.True(drill.Report.Rto.Met);
        Assert.Contains(drill.Report.Timeline, e => e.Kind == DrillEventKinds.Recovery && e.At == recovery);

        // The ladder failed the region over by itself.
        var failover = Assert.Single(drill.Outcome.Operations, o => o.Request.Kind == OperationKind.Failover);
        Assert.Equal(Actor.System.Name, failover.RequestedBy);
        Assert.Equal(OperationState.Completed, failover.State);
        Assert.Equal(failover.RequestedAt, drill.Measured.DecidedAt);
    }

    [Fact]
    public async Task RegionOutage_Automatic_RpoIsTheAgeOfTheWritesInFlight_AsTheTwinCountsThem()
    {
        var drill = await Outage();

        // Truth at the loss moment: the writes then unreplicated are the ones the failure destroys.
        var atLoss = drill.TruthAt(drill.FaultStart).Regions.Single(r => r.Code == Target);
        var lost = drill.Truths[^1].Writes.Lost - drill.TruthAt(drill.FaultStart).Writes.Lost;
        Assert.Equal(lost, drill.Measured.WritesLost);
        Assert.Equal(atLoss.UnreplicatedWrites, lost);
        Assert.True(lost > 0, "this seed fails the region with the last batch of writes still in flight");
        Assert.True(drill.Measured.CanariesLost > 0);
        Assert.True(drill.Report.Rpo.Achieved > TimeSpan.Zero);
        Assert.InRange((drill.Report.Rpo.Achieved!.Value - atLoss.OldestUnreplicatedAge).Duration().TotalSeconds, 0, 1);
        Assert.True(drill.Report.Rpo.Achieved < TimeSpan.FromSeconds(1), "sub-second lag loses under a second of writes");
    }

    [Fact]
    public async Task RegionOutage_OfARegionAlreadyCutOff_RpoIsTheAgeOfTheLostWrites_AndFailsAStricterCriterion()
    {
        // The region is cut off for the 5-minute warm-up before it goes down: 300 s of writes never leave it.
        var plan = new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Criteria: new DrillCriteria(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)), Seed: 7, Warmup: TimeSpan.FromMinutes(5),
            BackgroundFaults: [new FaultSpec(FaultKind.Partition, Target, "eu-central-1"), new FaultSpec(FaultKind.Partition, Target, "eu-north-1")]);

        var drill = await DrillRuns.GetAsync("outage-cut-off-7", plan);

        var atLoss = drill.TruthAt(drill.FaultStart).Regions.Single(r => r.Code == Target);
        Assert.InRange(atLoss.OldestUnreplicatedAge.TotalSeconds, 295, 301);
        Assert.InRange((drill.Report.Rpo.Achieved!.Value - atLoss.OldestUnreplicatedAge).Duration().TotalSeconds, 0, 1);
        Assert.InRange(drill.Measured.CanariesLost, 295, 301);
        Assert.Equal(atLoss.UnreplicatedWrites, drill.Measured.WritesLost);
        Assert.False(drill.Report.Rpo.Met);
        Assert.False(drill.Report.Passed);
        Assert.StartsWith("Failed:", drill.Report.Verdict, StringComparison.Ordinal);
        Assert.Contains("RPO", drill.Report.Verdict, StringComparison.Ordinal);
        Assert.Contains(drill.Report.CorrectiveActions, a => a.Description.Contains("RPO", StringComparison.Ordinal) && a.Status == "Open" && a.Due == DateOnly.FromDateTime(drill.Report.EndedAt.UtcDateTime).AddDays(14));
    }

    [Fact]
    public async Task NetworkPartition_LosesNothing_RpoIsZeroWhileTheCanaryGapGrows()
    {
        var drill = await DrillRuns.GetAsync("partition-auto-42", new DrillPlan(DrillScenario.NetworkPartition, Target, Seed: 42));

        Assert.Equal(drill.Truths[0].Writes.Lost, drill.Truths[^1].Writes.Lost);
        Assert.Equal(TimeSpan.Zero, drill.Report.Rpo.Achieved);
        Assert.True(drill.Measured.MaxCanaryGap > TimeSpan.FromMinutes(14), $"gap {drill.Measured.MaxCanaryGap}");
        Assert.Equal(drill.RecoveryFromTruth() - drill.FaultStart, drill.Report.Rto.Achieved);
        Assert.DoesNotContain(drill.Outcome.Operations, o => o.State == OperationState.Completed && o.MovesTraffic);
    }

    [Theory]
    [InlineData(DrillScenario.LatencyDegradation, ResponsePolicy.Automatic)]
    [InlineData(DrillScenario.ErrorSpike, ResponsePolicy.Automatic)]
    [InlineData(DrillScenario.ThrottlingStorm, ResponsePolicy.Automatic)]
    [InlineData(DrillScenario.CheckerFlapping, ResponsePolicy.Automatic)]
    public async Task Scenario_RtoMatchesTheTruthsRecovery_AndNothingIsLost(DrillScenario scenario, ResponsePolicy policy)
    {
        var drill = await DrillRuns.GetAsync($"{scenario}-{policy}-42", new DrillPlan(scenario, Target, policy, Seed: 42));

        Assert.NotNull(drill.Report.Rto.Achieved);
        Assert.Equal(drill.RecoveryFromTruth() - drill.FaultStart, drill.Report.Rto.Achieved);
        Assert.Equal(drill.Truths[0].Writes.Lost, drill.Truths[^1].Writes.Lost);
        Assert.Equal(TimeSpan.Zero, drill.Report.Rpo.Achieved);
        Assert.Equal(0, drill.Measured.CanariesLost);
        Assert.Equal(drill.Report.Rto.Met && drill.Report.Rpo.Met, drill.Report.Passed);
    }

    [Fact]
    public async Task ThrottlingStorm_TheLadderThrottlesTheClient_AndThatIsTheDecision()
    {
        var drill = await DrillRuns.GetAsync($"{DrillScenario.ThrottlingStorm}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.ThrottlingStorm, Target, ResponsePolicy.Automatic, Seed: 42));

        var throttle = Assert.Single(drill.Outcome.Audit, e => e.Action == "countermeasure.throttle");
        Assert.Contains("tenant-03", throttle.Target, StringComparison.Ordinal);
        Assert.Equal(throttle.At, drill.Measured.DecidedAt);
        Assert.DoesNotContain(drill.Report.Deviations, d => d.StartsWith("Expected response not seen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckerFlapping_NoTrafficMoves_AndNoRecoveryIsNeeded()
    {
        var drill = await DrillRuns.GetAsync($"{DrillScenario.CheckerFlapping}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.CheckerFlapping, Target, ResponsePolicy.Automatic, Seed: 42));

        Assert.DoesNotContain(drill.Outcome.Operations, o => o.MovesTraffic && o.State == OperationState.Completed);
        Assert.Equal(TimeSpan.Zero, drill.Report.Rto.Achieved);
        Assert.True(drill.Report.Passed);
    }

    [Fact]
    public async Task ErrorSpike_Human_TheApproverApprovesTheAdoptedProposal_OnTheTimeline()
    {
        var drill = await DrillRuns.GetAsync("errors-human-42", new DrillPlan(DrillScenario.ErrorSpike, Target, ResponsePolicy.Human, Seed: 42));

        var failover = Assert.Single(drill.Outcome.Operations, o => o.Request.Kind == OperationKind.Failover);
        Assert.Equal(ScriptedResponder.DefaultOperator.Name, failover.RequestedBy);
        Assert.Equal(ScriptedResponder.DefaultApprover.Name, failover.ApprovedBy);
        Assert.Equal(OperationState.Completed, failover.State);
        var approval = Assert.Single(drill.Report.Timeline, e => e.Kind == DrillEventKinds.Approval);
        Assert.Equal(ScriptedResponder.DefaultApprover.Name, approval.Actor);
        Assert.Equal(failover.ApprovedAt, approval.At);
        Assert.Equal(approval.At, drill.Measured.FirstApprovalAt);
        Assert.Contains(drill.Report.Participants, p => p.Name == ScriptedResponder.DefaultApprover.Name && p.Role == RoleNames.Approver);
        Assert.Contains(drill.Outcome.Audit, e => e.Action == "operation.approve" && e.Actor == ScriptedResponder.DefaultApprover.Name && e.Outcome == "approved");
        Assert.Equal(drill.RecoveryFromTruth() - drill.FaultStart, drill.Report.Rto.Achieved);
    }

    [Fact]
    public async Task BadDeploy_Human_RestoresToBeforeTheFirstCorruptWrite_CutsOver_AndNoCorruptItemRemains()
    {
        var drill = await DrillRuns.GetAsync("bad-deploy-human-42", new DrillPlan(DrillScenario.BadDeploy, Target, ResponsePolicy.Human, Seed: 42));

        var players = drill.Truths[^1].Tables.Single(t => t.Table == "aworld-players");
        Assert.True(players.CorruptWrites > 0);
        var integrity = Assert.Single(drill.Report.RestoreIntegrity);
        Assert.True(integrity.Passed, integrity.Detail);
        Assert.True(integrity.RestoredTo <= players.FirstCorruptWriteAt);
        var active = players.ActiveTables.Single(a => a.Region == Target);
        Assert.StartsWith("aworld-players-restored-", active.PhysicalTable, StringComparison.Ordinal);
        Assert.Equal(0, active.CorruptItems);
        Assert.Contains(drill.Outcome.Operations, o => o.Request.Kind == OperationKind.Cutover && o.State == OperationState.Completed && o.ApprovedBy == ScriptedResponder.DefaultApprover.Name);

        Assert.Equal(drill.RecoveryFromTruth() - drill.FaultStart, drill.Report.Rto.Achieved);
        Assert.Equal(drill.FaultStart - integrity.RestoredTo, drill.Report.Rpo.Achieved);
        Assert.True(drill.Report.Passed, drill.Report.Verdict);
    }

    [Fact]
    public async Task BadDeploy_WithARestoreTimeoutShorterThanTheRestore_FailsAndSaysWhy()
    {
        // The 40 GB table restores in 8 min + 45 s/GB = 38 min in the twin; a 20 min restore timeout cannot see it finish.
        var runner = Engines.Runner(("Operations:RestoreTimeout", "00:20:00"));

        var result = await runner.RunAsync(new DrillPlan(DrillScenario.BadDeploy, Target, ResponsePolicy.Human, Seed: 42, ObserveFor: TimeSpan.FromMinutes(40)));

        var report = result.Value!.Report;
        Assert.False(report.Passed);
        Assert.Null(report.Rto.Achieved);
        Assert.Contains(report.Deviations, d => d.Contains("Not verified within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadDeploy_WithAutomaticPolicy_IsRefusedWithTheFix()
    {
        var result = await Engines.Runner().RunAsync(new DrillPlan(DrillScenario.BadDeploy, Target, ResponsePolicy.Automatic));

        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Contains("use policy Human", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameSeed_GivesTheSameReport_ExceptIds()
    {
        var plan = new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Seed: 43);
        var first = (await Outage()).Report;

        var second = (await DrillRuns.RunAsync(plan)).Report;

        Assert.NotEqual(first.DrillId, second.DrillId);
        Assert.Equal(Mask(first.Timeline.Select(e => $"{e.At:O} {e.Kind} {e.Actor} {e.Description}")), Mask(second.Timeline.Select(e => $"{e.At:O} {e.Kind} {e.Actor} {e.Description}")));
        Assert.Equal(first.Rto, second.Rto);
        Assert.Equal(Mask([first.Rpo.Method, first.Verdict, .. first.Deviations]), Mask([second.Rpo.Method, second.Verdict, .. second.Deviations]));
        Assert.Equal(first.PlanVersion, second.PlanVersion);
        Assert.Equal(first.Metrics.Select(m => m.Key), second.Metrics.Select(m => m.Key));
        Assert.All(first.Metrics.Zip(second.Metrics), p => Assert.Equal(p.First.Points.ToArray(), p.Second.Points.ToArray()));
    }

    [Fact]
    public async Task Report_FromARun_CanBeSignedOff_AndItsAuditIsAVerifiableChainEndingAtTheHead()
    {
        var drill = await Outage();

        Assert.Empty(drill.Report.MissingForSignOff());
        var (signed, missing) = drill.Report.TrySignOff("martin", RoleNames.Approver, drill.Report.EndedAt);
        Assert.Empty(missing);
        Assert.NotNull(signed!.SignOff);
        Assert.Equal(drill.Outcome.Audit[^1].Hash, drill.Report.AuditChainHead);
        Assert.Equal("drill.start", drill.Outcome.Audit[0].Action);
        Assert.All(drill.Outcome.Audit.Skip(1).Zip(drill.Outcome.Audit), p => Assert.Equal(p.Second.Hash, p.First.PreviousHash));
        Assert.All(drill.Outcome.Audit, e => Assert.Equal(e.ComputeHash(), e.Hash));
    }

    [Fact]
    public async Task Report_WithEmptyRequiredFields_CannotBeSignedOff_AndNamesThem()
    {
        var report = (await Outage()).Report with { Scope = " ", CorrectiveActions = [new CorrectiveAction("Fix it", "", new DateOnly(2026, 2, 1), "Open")], Participants = [] };

        var (signed, missing) = report.TrySignOff("martin", RoleNames.Approver, report.EndedAt);

        Assert.Null(signed);
        Assert.Equal(["Scope", "Participants", "CorrectiveActions"], missing.ToArray());
    }

    private static List<string> Mask(IEnumerable<string> lines) => [.. lines.Select(l => Ids().Replace(l, "#"))];

    [GeneratedRegex(@"(op|drill)-[0-9a-z-]+")]
    private static partial Regex Ids();
}
