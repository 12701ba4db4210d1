using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Tests.Operations;

public sealed class OperationServiceTests : IDisposable
{
    private readonly OperationsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static OperationRequest FailoverWest => new(OperationKind.Failover, "eu-west-1", "drill: move traffic off Ireland");

    [Fact]
    public async Task Request_ShowsThePlan_TheCallsAndThePredictedRto()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));

        var result = await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var plan = result.Plan!;
        Assert.Equal(OperationState.PendingApproval, result.Operation!.State);
        Assert.Equal([StepAction.ChangeWeights, StepAction.AwaitDnsInSync, StepAction.VerifyTrafficMoved], plan.Steps.Select(s => s.Action));
        Assert.Contains("eu-west-1 100→0", plan.Steps[0].Call, StringComparison.Ordinal);
        Assert.Equal(0, plan.TargetWeights["eu-west-1"]);
        Assert.Equal(100, plan.TargetWeights["eu-central-1"]);
        Assert.Equal(TimeSpan.FromSeconds(120), plan.Rto.Detection);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.Rto.Ttl);
        Assert.True(plan.DataAtRiskWrites > 0);
        Assert.Equal(64, plan.Hash.Length);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "operation.request" && e.Actor == "olivia");
    }

    [Theory]
    [InlineData(RoleNames.Operator)]
    [InlineData(RoleNames.Approver)]
    [InlineData(RoleNames.Admin)]
    [InlineData(RoleNames.Auditor)]
    [InlineData(RoleNames.Viewer)]
    public async Task Approve_BySameUserAsRequester_IsRefused_UnderEveryRole(string role)
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, new Actor("sam", RoleNames.Admin))).Operation!;

        var result = await _h.Service.ApproveAsync(op.Id, new Actor("sam", role), op.Plan.Hash, acceptDataAtRisk: false);

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Contains("cannot approve their own request", result.Failure?.Message, StringComparison.Ordinal);
        Assert.Equal(OperationState.PendingApproval, (await _h.Store.GetAsync(op.Id, default))!.State);
    }

    [Theory]
    [InlineData(RoleNames.Operator)]
    [InlineData(RoleNames.Admin)]
    [InlineData(RoleNames.Viewer)]
    public async Task Approve_WithoutTheApproverRole_IsRefused(string role)
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var result = await _h.Service.ApproveAsync(op.Id, new Actor("someone-else", role), op.Plan.Hash, false);

        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
    }

    [Theory]
    [InlineData(RoleNames.Viewer)]
    [InlineData(RoleNames.Approver)]
    [InlineData(RoleNames.Auditor)]
    public async Task Request_ByARoleThatMayNotRequest_IsRefused(string role)
    {
        var result = await _h.Service.RequestAsync(FailoverWest, new Actor("x", role));

        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
    }

    [Fact]
    public async Task Approve_AfterExpiry_IsRefused_AndTheRequestExpires()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;
        _h.Time.Advance(TimeSpan.FromMinutes(16));

        var result = await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false);

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.Contains("expired", result.Failure?.Message, StringComparison.Ordinal);
        Assert.Equal(OperationState.Expired, (await _h.Store.GetAsync(op.Id, default))!.State);
    }

    [Fact]
    public async Task Approve_AfterAMaterialPlanChange_IsRefused_AndShowsTheNewPlan()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        // Someone moves weights by hand meanwhile: the same request now needs different calls.
        await ((ITrafficRouter)_h.Twin).ChangeWeightsAsync([new WeightChange("eu-north-1", 50)], "by hand", default);
        await _h.AdvanceAsync(TimeSpan.FromSeconds(30));
        var result = await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false);

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.Contains("The plan changed", result.Failure?.Message, StringComparison.Ordinal);
        var stored = (await _h.Store.GetAsync(op.Id, default))!;
        Assert.NotEqual(op.Plan.Hash, stored.Plan.Hash);
        Assert.Equal(OperationState.PendingApproval, stored.State);
    }

    [Fact]
    public async Task Approve_WithAStaleHashFromTheScreen_IsRefused()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var result = await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, new string('0', 64), false);

        Assert.False(result.Succeeded);
        Assert.Contains("The plan changed", result.Failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingAwayTheLastServingRegion_IsRefused()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-north-1"));
        await _h.AdvanceAsync(TimeSpan.FromMinutes(3));

        var result = await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator);

        Assert.Equal(FailureKind.Refused, result.Failure?.Kind);
        Assert.Contains(result.Checks, r => r.Rule == SafetyRules.AtLeastOneRegionServes && !r.Passed);
        Assert.Contains("no healthy region would take traffic", result.Failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailoverIntoAnUnhealthyTarget_IsRefused_WithTheTargetsOwnReasons()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-north-1"));
        await _h.AdvanceAsync(TimeSpan.FromMinutes(3));

        var result = await _h.Service.RequestAsync(FailoverWest with { To = "eu-north-1" }, OperationsHarness.Operator);

        var rule = Assert.Single(result.Checks, r => r.Rule == SafetyRules.TargetIndependentlyHealthy);
        Assert.False(rule.Passed);
        Assert.Contains("eu-north-1 is Unhealthy", rule.Reason, StringComparison.Ordinal);
        Assert.Contains("Route 53 reports the endpoint unhealthy", rule.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminOverride_LetsABlockingRulePass_FlaggedWithTheReason()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-north-1"));
        await _h.AdvanceAsync(TimeSpan.FromMinutes(3));
        var overrides = new[] { new OverrideRequest(SafetyRules.TargetIndependentlyHealthy, "north errors are a known monitoring bug") };

        var byOperator = await _h.Service.RequestAsync(FailoverWest with { To = "eu-north-1" }, OperationsHarness.Operator, overrides);
        var byAdmin = await _h.Service.RequestAsync(FailoverWest with { To = "eu-north-1" }, OperationsHarness.Admin, overrides);

        Assert.Equal(FailureKind.Forbidden, byOperator.Failure?.Kind);
        Assert.True(byAdmin.Succeeded, byAdmin.Failure?.Message);
        var rule = Assert.Single(byAdmin.Checks, r => r.Rule == SafetyRules.TargetIndependentlyHealthy);
        Assert.True(rule.Overridden);
        Assert.StartsWith("OVERRIDDEN by ada", rule.Reason, StringComparison.Ordinal);
        Assert.Contains(_h.AuditStore.Entries, e => e.Action == "operation.override" && e.Reason == "north errors are a known monitoring bug");
        var stamped = Assert.Single(byAdmin.Operation!.Overrides);
        Assert.Equal(("ada", _h.Time.GetUtcNow()), (stamped.By, stamped.At));
    }

    [Fact]
    public async Task Override_OfAnUnknownRule_IsInvalid()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));

        var result = await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Admin, [new OverrideRequest("gravity", "it is fine")]);

        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Contains("needs a known rule", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LagOverTheRpo_NeedsTheApproverToAcceptTheDataAtRisk()
    {
        var h = new OperationsHarness(estate: e => e.RecoveryObjectives.Rpo = TimeSpan.FromSeconds(30));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        h.Twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"));
        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var op = (await h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var refused = await h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, acceptDataAtRisk: false);
        var accepted = await h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, acceptDataAtRisk: true);

        Assert.Equal(FailureKind.Refused, refused.Failure?.Kind);
        Assert.Contains("[replication-within-rpo]", refused.Failure?.Message, StringComparison.Ordinal);
        Assert.True(accepted.Succeeded, accepted.Failure?.Message);
        Assert.True(accepted.Operation!.DataAtRiskAccepted);
        h.Dispose();
    }

    [Fact]
    public async Task SecondOperation_WhileOneIsApproved_IsRefused()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var first = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;
        await _h.Service.ApproveAsync(first.Id, OperationsHarness.Approver, first.Plan.Hash, false);

        var second = await _h.Service.RequestAsync(new OperationRequest(OperationKind.Failover, "eu-central-1", "another"), OperationsHarness.Admin);

        Assert.Contains("[one-operation-at-a-time]", second.Failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_NeedsAReason_AndEndsTheRequest()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var noReason = await _h.Service.RejectAsync(op.Id, OperationsHarness.Approver, " ");
        var rejected = await _h.Service.RejectAsync(op.Id, OperationsHarness.Approver, "not during the sale");

        Assert.Equal(FailureKind.Invalid, noReason.Failure?.Kind);
        Assert.Equal(OperationState.Rejected, rejected.Operation!.State);
        Assert.Equal("not during the sale", rejected.Operation.DecidedReason);
    }

    [Fact]
    public async Task FiftyConcurrentApprovals_GiveExactlyOneApproval_AndOneExecution()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => _h.Service.ApproveAsync(op.Id, new Actor($"approver-{i}", RoleNames.Approver), op.Plan.Hash, false))));
        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(OperationState.Completed, finished.State);
        Assert.Single(finished.Journal, j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        Assert.Single(_h.AuditStore.Entries, e => e.Action == "operation.execute" && e.Outcome == "started");
    }

    [Fact]
    public async Task RestoreOutsideThePitrWindow_IsRefused_NamingTheWindow()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var tooOld = _h.Time.GetUtcNow() - TimeSpan.FromDays(40);

        var result = await _h.Service.RequestAsync(new OperationRequest(OperationKind.Restore, "eu-west-1", "bad deploy", Table: "aworld-players", PointInTime: tooOld), OperationsHarness.Operator);

        Assert.Equal(FailureKind.Refused, result.Failure?.Kind);
        Assert.Contains("[restore-within-pitr-window]", result.Failure?.Message, StringComparison.Ordinal);
        Assert.Contains("outside the restorable window of aworld-players in eu-west-1", result.Failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithoutAReason_IsInvalid()
    {
        var result = await _h.Service.RequestAsync(FailoverWest with { Reason = " " }, OperationsHarness.Operator);

        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Contains("'reason' is required", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NamingARegionOutsideTheEstate_IsInvalid()
    {
        await _h.AdvanceAsync(TimeSpan.FromSeconds(30));

        var result = await _h.Service.RequestAsync(FailoverWest with { From = "mars-1" }, OperationsHarness.Operator);

        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Contains("'mars-1', which is not a region", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ThatLeavesNothingToDo_IsRefused()
    {
        await _h.AdvanceAsync(TimeSpan.FromSeconds(30));

        var result = await _h.Service.RequestAsync(new OperationRequest(OperationKind.Failback, "eu-west-1", "nothing moved"), OperationsHarness.Operator);

        Assert.Equal(FailureKind.Refused, result.Failure?.Kind);
        Assert.Contains("nothing to fail back", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_OfAnUnknownId_IsNotFound()
    {
        var result = await _h.Service.ApproveAsync("op-nope", OperationsHarness.Approver, null, false);

        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
    }

    [Fact]
    public async Task Approve_OfAnOperationNoLongerWaiting_IsAConflict()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;
        await _h.Service.RejectAsync(op.Id, OperationsHarness.Admin, "not today");

        var result = await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false);

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.Contains("is Rejected, not waiting for approval", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_WhenSomeoneElseSavesItFirst_IsAConflict()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var racing = new RacingOperationStore(_h.Store);
        using var service = ActivatorUtilities.CreateInstance<OperationService>(_h.Services, (IOperationStore)racing);
        var op = (await service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;
        racing.BeforeNextSave = async () => await _h.Store.SaveAsync((await _h.Store.GetAsync(op.Id, default))!, default);

        var result = await service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false);

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.Contains("changed by someone else", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RoleNames.Operator)]
    [InlineData(RoleNames.Viewer)]
    [InlineData(RoleNames.Auditor)]
    public async Task Reject_ByARoleThatMayNotReject_IsForbidden(string role)
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var result = await _h.Service.RejectAsync(op.Id, new Actor("someone", role), "no");

        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
    }

    [Fact]
    public async Task Reject_OfAFinishedOperation_IsAConflict_AndOfAnUnknownOne_NotFound()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;
        await _h.Service.RejectAsync(op.Id, OperationsHarness.Approver, "not during the sale");

        var again = await _h.Service.RejectAsync(op.Id, OperationsHarness.Approver, "still no");
        var unknown = await _h.Service.RejectAsync("op-nope", OperationsHarness.Approver, "no");

        Assert.Equal(FailureKind.Conflict, again.Failure?.Kind);
        Assert.Equal(FailureKind.NotFound, unknown.Failure?.Kind);
    }

    [Fact]
    public async Task Adopt_OfSomethingThatIsNotAProposal_IsAConflict_AndByTheConsoleItself_Forbidden()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(FailoverWest, OperationsHarness.Operator)).Operation!;

        var notAProposal = await _h.Service.AdoptAsync(op.Id, OperationsHarness.Admin);
        var bySystem = await _h.Service.AdoptAsync(op.Id, Actor.System);

        Assert.Equal(FailureKind.Conflict, notAProposal.Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, bySystem.Failure?.Kind);
    }
}
