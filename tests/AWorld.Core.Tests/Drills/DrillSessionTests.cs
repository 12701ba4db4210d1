using AWorld.Core.Drills;
using AWorld.Core.Operations;
using AWorld.Twin;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Drills;

public class DrillSessionTests
{
    [Fact]
    public async Task OnAPipelineItDoesNotOwn_MeasuresTheOutageAgainstTheTruth()
    {
        // The console's shape: its own clock, monitor, ladder, service and executor; the session only observes.
        using var h = new OperationsHarness(seed: 43);
        var plan = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", ResponsePolicy.Automatic, Seed: 43);
        var session = new DrillSession(plan, h.Twin.Estate, h.Twin, h.Audit, h.AuditStore, h.Time);
        h.Service.Changed += session.Observer.ObserveOperation;
        var truths = new List<EstateTruth>();
        await session.StartAsync();

        for (var s = 0; s < 3600; s++)
        {
            if (s == 300)
            {
                await session.InjectAsync();
            }

            h.Time.Advance(TimeSpan.FromSeconds(1));
            h.Twin.AdvanceTo(h.Time.GetUtcNow());
            var snapshot = await h.Monitor.PollAsync();
            await h.Countermeasures.EvaluateAsync(snapshot);
            await h.Executor.TickAsync();
            var truth = h.Twin.Truth();
            truths.Add(truth);
            await session.ObserveSecondAsync(snapshot, truth);
            if (session.IsDone(await h.Service.RecentAsync()))
            {
                break;
            }
        }

        var outcome = await session.FinishAsync(await h.Service.RecentAsync(), [new DrillParticipant("olivia", "Operator", "watched the console")]);

        var recorded = new RecordedDrill(outcome, truths);
        Assert.Equal(recorded.RecoveryFromTruth() - recorded.FaultStart, outcome.Report.Rto.Achieved);
        Assert.Contains(outcome.Operations, o => o.Request.Kind == OperationKind.Failover && o.State == OperationState.Completed);
        Assert.Empty(outcome.Report.MissingForSignOff());
        Assert.Equal("drill.start", outcome.Audit[0].Action);
        Assert.Equal("drill.end", outcome.Audit[^1].Action);
        Assert.True((await h.Audit.VerifyAsync()).Verified);
        Assert.Contains(outcome.Report.Participants, p => p.Name == "olivia");
    }
}
