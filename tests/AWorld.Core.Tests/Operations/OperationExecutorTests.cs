using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Tests.Operations;

public sealed class OperationExecutorTests : IDisposable
{
    private readonly OperationsHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ApprovedFailover_MovesTheClientsTraffic_AndIsVerified()
    {
        var op = await ApprovedFailoverAsync();

        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        Assert.Equal(OperationState.Completed, finished.State);
        Assert.True(_h.Twin.Truth().Region("eu-west-1").TrafficShare <= 0.01);
        await _h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(0, _h.Twin.Truth().Region("eu-west-1").TrafficShare);
        Assert.Equal([StepStatus.Started, StepStatus.Succeeded, StepStatus.Started, StepStatus.Succeeded, StepStatus.Started, StepStatus.Succeeded], finished.Journal.Select(j => j.Status));
        Assert.Contains("INSYNC", finished.Journal[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_ThenFailback_ReturnsTheTraffic_AfterTheCooldown()
    {
        var op = await ApprovedFailoverAsync();
        await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        var tooSoon = await _h.Service.RequestAsync(new OperationRequest(OperationKind.Failback, "eu-west-1", "back home"), OperationsHarness.Operator);
        Assert.Contains("[cooldown]", tooSoon.Failure?.Message, StringComparison.Ordinal);

        await _h.AdvanceAsync(TimeSpan.FromMinutes(10));
        var back = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Failback, "eu-west-1", "back home"), OperationsHarness.Operator)).Operation!;
        var approval = await _h.Service.ApproveAsync(back.Id, OperationsHarness.Approver, back.Plan.Hash, false);
        Assert.True(approval.Succeeded, approval.Failure?.Message);
        var finished = await _h.RunUntilFinishedAsync(back.Id, TimeSpan.FromMinutes(15));

        Assert.Equal(OperationState.Completed, finished.State);
        await _h.AdvanceAsync(TimeSpan.FromMinutes(6));
        Assert.InRange(_h.Twin.Truth().Region("eu-west-1").TrafficShare, 0.3, 0.7);
    }

    [Theory]
    [InlineData(0, "after-act")]
    [InlineData(0, "after-outcome")]
    [InlineData(1, "after-act")]
    [InlineData(1, "after-outcome")]
    [InlineData(2, "after-act")]
    [InlineData(2, "after-outcome")]
    public async Task CrashAfterAnyStep_ResumesFromTheJournal_AndChangesTheWeightsExactlyOnce(int step, string phase)
    {
        var op = await ApprovedFailoverAsync();
        await CrashAtAsync(step, phase);
        _h.Executor = _h.NewExecutor();
        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        Assert.Equal(OperationState.Completed, finished.State);
        Assert.Single(finished.Journal, j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        Assert.Single(finished.Journal, j => j.Index == 2 && j.Status == StepStatus.Succeeded);
        Assert.Single(_h.AuditStore.Entries, e => e.Action == "operation.finish");
        // Only one change batch ever reached Route 53: the weights were changed exactly once.
        ITrafficRouter router = _h.Twin;
        Assert.Equal(ChangeStatus.InSync, (await router.GetChangeAsync("C000001", default)).Status);
        await Assert.ThrowsAsync<EstateServiceException>(() => router.GetChangeAsync("C000002", default));
        Assert.Equal(0, _h.Twin.Truth().Region("eu-west-1").Weight);
    }

    [Fact]
    public async Task TargetTurningUnhealthyBeforeAStep_RollsTheWeightsBack()
    {
        var op = await ApprovedFailoverAsync();
        await _h.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(OperationState.Executing, (await _h.Store.GetAsync(op.Id, default))!.State);

        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        Assert.Equal(OperationState.RolledBack, finished.State);
        Assert.Contains(finished.Journal, j => j.Status == StepStatus.Compensated);
        await _h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(100, _h.Twin.Truth().Region("eu-west-1").Weight);
    }

    [Fact]
    public async Task Restore_CreatesTheTable_AndVerifiesItsPointInTime()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var at = _h.Time.GetUtcNow() - TimeSpan.FromHours(3);
        var op = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Restore, "eu-west-1", "bad deploy at 07:00", Table: "aworld-sessions", PointInTime: at), OperationsHarness.Operator)).Operation!;
        Assert.True((await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false)).Succeeded);

        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromHours(1));

        Assert.Equal(OperationState.Completed, finished.State);
        var table = await ((IGlobalTableAdmin)_h.Twin).DescribeTableAsync(finished.Plan.RestoreTarget!, "eu-west-1", default);
        Assert.Equal(TableStatus.Active, table.Status);
        Assert.Equal(finished.Plan.PointInTime, table.RestoreSummary!.RestoreDateTime);
    }

    [Fact]
    public async Task Cutover_AfterARestore_NeedsItsOwnApproval_AndSwitchesTheApplication()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var restore = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Restore, "eu-west-1", "bad deploy", Table: "aworld-sessions", PointInTime: _h.Time.GetUtcNow() - TimeSpan.FromHours(1)), OperationsHarness.Operator)).Operation!;
        await _h.Service.ApproveAsync(restore.Id, OperationsHarness.Approver, restore.Plan.Hash, false);
        restore = await _h.RunUntilFinishedAsync(restore.Id, TimeSpan.FromHours(1));
        Assert.Equal(OperationState.Completed, restore.State);
        ITableRouting routing = _h.Twin;
        Assert.Equal("aworld-sessions", await routing.GetActiveTableAsync("aworld-sessions", "eu-west-1", default));

        var cutover = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Cutover, "eu-west-1", "use the clean copy", Table: "aworld-sessions", RestoredTable: restore.Plan.RestoreTarget), OperationsHarness.Operator)).Operation!;
        Assert.Equal(OperationState.PendingApproval, cutover.State);
        Assert.True((await _h.Service.ApproveAsync(cutover.Id, OperationsHarness.Approver, cutover.Plan.Hash, false)).Succeeded);
        var finished = await _h.RunUntilFinishedAsync(cutover.Id, TimeSpan.FromMinutes(5));

        Assert.Equal(OperationState.Completed, finished.State);
        Assert.Equal(restore.Plan.RestoreTarget, await routing.GetActiveTableAsync("aworld-sessions", "eu-west-1", default));
    }

    [Fact]
    public async Task Cutover_ToATableThatWasNotRestored_FailsWithoutSwitching()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var cutover = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Cutover, "eu-west-1", "typo", Table: "aworld-sessions", RestoredTable: "aworld-sessions-restored-20250101000000"), OperationsHarness.Operator)).Operation!;
        await _h.Service.ApproveAsync(cutover.Id, OperationsHarness.Approver, cutover.Plan.Hash, false);

        var finished = await _h.RunUntilFinishedAsync(cutover.Id, TimeSpan.FromMinutes(5));

        Assert.Equal(OperationState.Failed, finished.State);
        Assert.Contains("ResourceNotFoundException", finished.Outcome, StringComparison.Ordinal);
        Assert.Equal("aworld-sessions", await ((ITableRouting)_h.Twin).GetActiveTableAsync("aworld-sessions", "eu-west-1", default));
    }

    [Fact]
    public async Task WeightChange_JournalsTheWeightsBeforeIt_OnItsIntent_AndTheChangeId_OnItsOutcome()
    {
        var op = await ApprovedFailoverAsync();

        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        var intent = Assert.Single(finished.Journal, j => j.Index == 0 && j.Status == StepStatus.Started);
        var outcome = Assert.Single(finished.Journal, j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        Assert.Equal(op.Plan.PreviousWeights, intent.PreviousWeights);
        Assert.Null(intent.ChangeId);
        Assert.Equal(("C000001", "change C000001"), (outcome.ChangeId, outcome.Detail));
        Assert.Equal(op.Plan.PreviousWeights, outcome.PreviousWeights);
        Assert.All(finished.Journal.Where(j => j.Index > 0), j => Assert.Equal((null, null, null), (j.ChangeId, j.PreviousWeights, j.PreviousTable)));
    }

    [Fact]
    public async Task Resume_ReadsTheChangeIdFromTheJournalField_NotFromItsText()
    {
        var op = await ApprovedFailoverAsync();
        await CrashAtAsync(0, "after-outcome");

        // Someone rewrites the human text of the weight step's outcome: the executor must not care.
        var stored = (await _h.Store.GetAsync(op.Id, default))!;
        var line = stored.Journal.Single(j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        await _h.Store.SaveAsync(stored with { Journal = stored.Journal.Replace(line, line with { Detail = "weights moved (see Route 53)" }) }, default);
        _h.Executor = _h.NewExecutor();
        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        Assert.Equal(OperationState.Completed, finished.State);
        Assert.Equal("change C000001 INSYNC", Assert.Single(finished.Journal, j => j.Index == 1 && j.Status == StepStatus.Succeeded).Detail);
    }

    [Fact]
    public async Task CrashBetweenActAndOutcome_ThenARuleBreaks_RollsBackToTheWeightsTheIntentRecorded()
    {
        var op = await ApprovedFailoverAsync();
        await CrashAtAsync(0, "after-act");
        Assert.Equal(0, _h.Twin.Truth().Region("eu-west-1").Weight);

        _h.Executor = _h.NewExecutor();
        await _h.AdvanceAsync(TimeSpan.FromSeconds(2));
        var resumed = Assert.Single((await _h.Store.GetAsync(op.Id, default))!.Journal, j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        _h.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        var finished = await _h.RunUntilFinishedAsync(op.Id, TimeSpan.FromMinutes(15));

        // The outcome says only that the weights were in place; what stood before came from the intent.
        Assert.Equal("weights already in place", resumed.Detail);
        Assert.Null(resumed.ChangeId);
        Assert.Equal(100, resumed.PreviousWeights!["eu-west-1"]);
        Assert.Equal(OperationState.RolledBack, finished.State);
        var undone = Assert.Single(finished.Journal, j => j.Status == StepStatus.Compensated);
        Assert.Equal(resumed.PreviousWeights, undone.PreviousWeights);
        Assert.NotNull(undone.ChangeId);
        Assert.Equal(100, _h.Twin.Truth().Region("eu-west-1").Weight);
    }

    [Fact]
    public async Task CutoverNotVerified_SwitchesBackToTheTableTheJournalRecorded()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var restore = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Restore, "eu-west-1", "bad deploy", Table: "aworld-sessions", PointInTime: _h.Time.GetUtcNow() - TimeSpan.FromHours(1)), OperationsHarness.Operator)).Operation!;
        await _h.Service.ApproveAsync(restore.Id, OperationsHarness.Approver, restore.Plan.Hash, false);
        restore = await _h.RunUntilFinishedAsync(restore.Id, TimeSpan.FromHours(1));
        var routing = new StuckTableRouting("aworld-sessions");
        _h.Executor = ActivatorUtilities.CreateInstance<OperationExecutor>(_h.Services, (ITableRouting)routing);
        var cutover = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Cutover, "eu-west-1", "use the clean copy", Table: "aworld-sessions", RestoredTable: restore.Plan.RestoreTarget), OperationsHarness.Operator)).Operation!;
        await _h.Service.ApproveAsync(cutover.Id, OperationsHarness.Approver, cutover.Plan.Hash, false);
        await _h.AdvanceAsync(TimeSpan.FromSeconds(5));

        // The switch's text is rewritten: the roll-back must still know which table to go back to.
        var stored = (await _h.Store.GetAsync(cutover.Id, default))!;
        var line = stored.Journal.Single(j => j.Index == 1 && j.Status == StepStatus.Succeeded);
        await _h.Store.SaveAsync(stored with { Journal = stored.Journal.Replace(line, line with { Detail = "switched" }) }, default);
        var finished = await _h.RunUntilFinishedAsync(cutover.Id, TimeSpan.FromMinutes(25));

        Assert.Equal(OperationState.RolledBack, finished.State);
        Assert.Equal([restore.Plan.RestoreTarget!, "aworld-sessions"], routing.Switches);
        Assert.Equal("aworld-sessions", Assert.Single(finished.Journal, j => j.Status == StepStatus.Compensated).PreviousTable);
    }

    /// <summary>Runs the approved operation until the executor dies at the given point; the next executor starts from the store.</summary>
    private async Task CrashAtAsync(int step, string phase)
    {
        var crashed = false;
        _h.Executor.FaultHook = (index, at) =>
        {
            if (!crashed && index == step && at == phase)
            {
                crashed = true;
                throw new InvalidOperationException("process killed");
            }

            return Task.CompletedTask;
        };

        for (var s = 0; s < 900 && !crashed; s++)
        {
            try
            {
                await _h.AdvanceAsync(TimeSpan.FromSeconds(1));
            }
            catch (InvalidOperationException)
            {
                // The process died here.
            }
        }

        Assert.True(crashed);
    }

    private async Task<Operation> ApprovedFailoverAsync()
    {
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var op = (await _h.Service.RequestAsync(new OperationRequest(OperationKind.Failover, "eu-west-1", "drill"), OperationsHarness.Operator)).Operation!;
        var approved = await _h.Service.ApproveAsync(op.Id, OperationsHarness.Approver, op.Plan.Hash, false);
        Assert.True(approved.Succeeded, approved.Failure?.Message);
        return approved.Operation!;
    }
}
