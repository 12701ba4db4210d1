using AWorld.Core.Drills;
using AWorld.Core.Operations;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Tests.Drills;

public class DrillSessionTests
{
    [Fact]
    public async Task LiveOnAPipelineItDoesNotOwn_MeasuresTheOutageAgainstTheTruth()
    {
        // The console's shape: the engine's own loop steps the estate; the host only observes it, no warm-up.
        using var h = new OperationsHarness(seed: 43) { LadderEnabled = true };
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        var host = h.Services.GetRequiredService<DrillHost>();
        var truths = new List<EstateTruth>();
        var plan = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", ResponsePolicy.Automatic, Seed: 43);

        var started = await host.StartAsync(plan, new DrillStart(OperationsHarness.Operator, [new DrillParticipant("olivia", "Operator", "watched the console")], OnTruth: truths.Add));
        var run = started.Value!;
        for (var s = 0; s < 3600 && !run.Completion.IsCompleted; s++)
        {
            await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.True(run.Completion.IsCompleted, "the drill did not end within an hour of estate time");
        var outcome = await run.Completion;
        var recorded = new RecordedDrill(outcome, truths);
        Assert.Equal(recorded.RecoveryFromTruth() - recorded.FaultStart, outcome.Report.Rto.Achieved);
        Assert.Contains(outcome.Operations, o => o.Request.Kind == OperationKind.Failover && o.State == OperationState.Completed);
        Assert.Empty(outcome.Report.MissingForSignOff());
        Assert.Equal("drill.start", outcome.Audit[0].Action);
        Assert.Equal("drill.end", outcome.Audit[^1].Action);
        Assert.True((await h.Audit.VerifyAsync()).Verified);
        Assert.Contains(outcome.Report.Participants, p => p.Name == "olivia");
        Assert.Null(host.Live);
    }

    [Fact]
    public async Task Start_WhileADrillRuns_IsAConflict()
    {
        using var h = new OperationsHarness(seed: 43) { LadderEnabled = true };
        var host = h.Services.GetRequiredService<DrillHost>();
        var plan = new DrillPlan(DrillScenario.LatencyDegradation, "eu-west-1", ResponsePolicy.Automatic, Seed: 43);

        var first = await host.StartAsync(plan, new DrillStart(OperationsHarness.Operator, []));
        var second = await host.StartAsync(plan, new DrillStart(OperationsHarness.Operator, []));

        Assert.True(first.Succeeded);
        Assert.Equal(FailureKind.Conflict, second.Failure?.Kind);
        Assert.Equal(first.Value!.DrillId, host.Live?.DrillId);
    }
}
