using AWorld.Core.Drills;
using AWorld.Core.Estate;

namespace AWorld.Core.Tests.Drills;

public class DrillReportComposerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DrillPlan Plan = new(DrillScenario.RegionOutage, "eu-west-1", ResponsePolicy.Automatic, Seed: 3);

    [Fact]
    public void Compose_OfTheSameObservation_GivesTheSameReport_AndLeavesTheObserverOpen()
    {
        var observer = Unanswered();
        var observation = observer.ToObservation();

        var first = DrillReportComposer.Compose(Plan, EstateTopology.Default, observation, "drill-1", Start.AddHours(2), "head", []);
        var second = DrillReportComposer.Compose(Plan, EstateTopology.Default, observation, "drill-1", Start.AddHours(2), "head", []);

        Assert.Equal(DrillReportJson.Write(first), DrillReportJson.Write(second));
        Assert.Equal(DrillEventKinds.DrillEnd, first.Timeline[^1].Kind);
        Assert.DoesNotContain(observer.Timeline, e => e.Kind == DrillEventKinds.DrillEnd);
        Assert.DoesNotContain(observation.Timeline, e => e.Kind == DrillEventKinds.DrillEnd);
    }

    [Fact]
    public void Compose_OfAnOutageNobodySawOrAnswered_ListsDeviationsAndActionsInTheRulesOrder()
    {
        var observer = Unanswered();
        observer.AddDeviation("A person noted something.");

        var report = DrillReportComposer.Compose(Plan, EstateTopology.Default, observer.ToObservation(), "drill-1", Start.AddHours(2), "head", []);

        Assert.Equal(
            [
                "A person noted something.",
                "The monitor never showed eu-west-1 other than Healthy during the drill.",
                "Expected response not seen: fail the region over: traffic leaves it (automatically when Route 53 and CloudWatch agree it is down); observed: no completed response (Automatic policy).",
            ],
            report.Deviations.ToArray());
        Assert.Equal(["Operations lead", "SRE lead"], report.CorrectiveActions.Select(a => a.Owner).ToArray());
        Assert.All(report.CorrectiveActions, a => Assert.Equal(new DateOnly(2026, 1, 19), a.Due));
        Assert.Equal(new DateOnly(2026, 1, 12), report.NextDrillDate);
        Assert.False(report.Passed);
        Assert.StartsWith("Failed: clients never recovered", report.Verdict, StringComparison.Ordinal);
    }

    /// <summary>A fault that nothing detected, answered or recovered from.</summary>
    private static DrillObserver Unanswered()
    {
        var observer = new DrillObserver(Plan, EstateTopology.Default, Start);
        observer.FaultStarted(Start.AddMinutes(15), "Fault f-0001: outage eu-west-1.");
        return observer;
    }
}
