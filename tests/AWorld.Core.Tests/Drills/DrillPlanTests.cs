using AWorld.Core.Drills;
using AWorld.Core.Estate;

namespace AWorld.Core.Tests.Drills;

public class DrillPlanTests
{
    private static readonly EstateTopology Estate = EstateTopology.Default;

    [Fact]
    public void Validate_UnknownRegion_NamesTheEstatesRegions()
    {
        var errors = new DrillPlan(DrillScenario.RegionOutage, "us-east-9").Validate(Estate);

        var error = Assert.Single(errors);
        Assert.Contains("'us-east-9'", error, StringComparison.Ordinal);
        Assert.Contains("eu-west-1, eu-central-1, eu-north-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CriteriaLooserThanTheEstatesTargets_AreRejected_StricterAreAccepted()
    {
        var looser = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", Criteria: new DrillCriteria(TimeSpan.FromHours(48), TimeSpan.FromHours(2))).Validate(Estate);
        var stricter = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", Criteria: new DrillCriteria(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(5))).Validate(Estate);

        Assert.Equal(2, looser.Length);
        Assert.All(looser, e => Assert.Contains("stricter or equal", e, StringComparison.Ordinal));
        Assert.Empty(stricter);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var errors = new DrillPlan(DrillScenario.BadDeploy, "nowhere", ResponsePolicy.Automatic, Warmup: TimeSpan.FromSeconds(5), ObserveFor: TimeSpan.FromSeconds(30)).Validate(Estate);

        Assert.Equal(4, errors.Length);
    }

    [Fact]
    public void Criteria_DefaultToTheEstatesObjectives()
    {
        var criteria = new DrillPlan(DrillScenario.ErrorSpike, "eu-west-1").EffectiveCriteria(Estate);

        Assert.Equal(new DrillCriteria(Estate.Objectives.Rto, Estate.Objectives.Rpo), criteria);
    }

    [Fact]
    public void Version_ChangesWithWhatIsRehearsed_AndNotOtherwise()
    {
        var plan = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", Seed: 3);

        Assert.Equal(plan.Version(Estate), (plan with { }).Version(Estate));
        Assert.NotEqual(plan.Version(Estate), (plan with { Policy = ResponsePolicy.Human }).Version(Estate));
        Assert.NotEqual(plan.Version(Estate), (plan with { Criteria = new DrillCriteria(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)) }).Version(Estate));
    }

    [Fact]
    public void Scenarios_AllSevenHaveFaultsOnTheTarget_AndAPartitionUsesTheFirstOtherRegion()
    {
        Assert.Equal(7, DrillScenarios.All.Length);
        Assert.All(DrillScenarios.All, d => Assert.All(d.Faults(Estate, "eu-central-1", d.DefaultDuration), f => Assert.Equal("eu-central-1", f.Region)));
        var partition = Assert.Single(DrillScenarios.Get(DrillScenario.NetworkPartition).Faults(Estate, "eu-central-1", TimeSpan.FromMinutes(5)));
        Assert.Equal("eu-west-1", partition.PeerRegion);
        Assert.True(DrillScenarios.TryParse("bad-deploy", out var scenario));
        Assert.Equal(DrillScenario.BadDeploy, scenario);
    }
}
