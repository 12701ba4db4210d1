using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

public class ReplicationTwinTests
{
    [Fact]
    public void Lag_IsSubSecondInNormalOperation()
    {
        var twin = Twins.Create(3);
        var samples = new List<double>();
        for (var s = 0; s < 3600; s++)
        {
            twin.Step();
            samples.AddRange(twin.Truth().Pairs.Where(p => p.From != "eu-north-1").Select(p => p.LagMs));
        }

        Assert.All(samples, lag => Assert.InRange(lag, 1, 999));
        var w = twin.Truth().Writes;
        Assert.Equal(0, w.Lost);
        Assert.Equal(w.Acknowledged, w.Replicated + w.Lost + w.Pending);
    }

    [Fact]
    public void Partition_GrowsLagAndQueuesWrites_ThenDrainsWithoutLoss()
    {
        var twin = Twins.Create(4);
        twin.Run(TimeSpan.FromMinutes(2));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1", Duration: TimeSpan.FromMinutes(10)));

        twin.Run(TimeSpan.FromMinutes(1));
        var lagAfterOne = Lag(twin, "eu-west-1", "eu-central-1");
        twin.Run(TimeSpan.FromMinutes(4));
        var lagAfterFive = Lag(twin, "eu-west-1", "eu-central-1");
        Assert.InRange(lagAfterOne, 59_000, 62_000);
        Assert.InRange(lagAfterFive, 299_000, 302_000);

        // The third region still receives both sides' writes in time: nothing is unprotected.
        Assert.True(Lag(twin, "eu-west-1", "eu-north-1") < 1000);

        twin.Run(TimeSpan.FromMinutes(5));
        var drained = twin.StepUntil(t => t.Pairs.Single(p => p.From == "eu-west-1" && p.To == "eu-central-1").LagMs < 1000, TimeSpan.FromMinutes(10));

        Assert.NotNull(drained);
        Assert.True(drained > 0, "a ten-minute backlog takes time to drain");
        Assert.Equal(0, twin.Truth().Writes.Lost);
    }

    [Fact]
    public void RegionFailure_LosesExactlyItsUnreplicatedAcknowledgedWrites()
    {
        var twin = Twins.Create(6);
        twin.Run(TimeSpan.FromMinutes(3));
        var before = twin.Truth();
        var unreplicated = before.Region("eu-west-1").UnreplicatedWrites;
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        twin.Step();

        Assert.True(unreplicated > 0, "some writes of the last second are always in flight");
        Assert.Equal(before.Writes.Lost + unreplicated, twin.Truth().Writes.Lost);
    }

    [Fact]
    public void RegionFailureAfterBeingCutOff_LosesEverythingAcknowledgedWhileCutOff()
    {
        var twin = Twins.Create(6);
        twin.Run(TimeSpan.FromMinutes(3));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-north-1"));
        twin.Run(TimeSpan.FromMinutes(2));
        var before = twin.Truth();
        var region = before.Region("eu-west-1");
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        twin.Step();

        Assert.InRange(region.OldestUnreplicatedAge.TotalSeconds, 119, 121);
        Assert.True(region.UnreplicatedWrites > 1000);
        Assert.Equal(before.Writes.Lost + region.UnreplicatedWrites, twin.Truth().Writes.Lost);
        var w = twin.Truth().Writes;
        Assert.Equal(w.Acknowledged, w.Replicated + w.Lost + w.Pending);
    }

    private static double Lag(EstateTwin twin, string from, string to) =>
        twin.Truth().Pairs.Single(p => p.From == from && p.To == to).LagMs;
}
