using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

public class CanaryAndCorruptionTests
{
    [Fact]
    public void Canaries_OneASecondPerRegion_ReachEveryPeerWithinASecond()
    {
        var twin = Twins.Create(11);

        twin.Run(TimeSpan.FromSeconds(120));

        var canaries = twin.Truth().Canaries;
        foreach (var region in canaries.Regions)
        {
            Assert.Equal(120, region.LastSequence);
            Assert.Equal(0, region.Lost);
            Assert.InRange((twin.Now - region.LastAcknowledgedAt!.Value).TotalSeconds, 0, 1);
        }

        Assert.Equal(6, canaries.Pairs.Count);
        Assert.All(canaries.Pairs, p => Assert.InRange(p.LastReceivedSequence, 119, 120));
    }

    [Fact]
    public void RegionFailureAfterBeingCutOff_LosesTheCanariesOfTheCutOffAndTheirAgeMatchesTheLostWrites()
    {
        var twin = Twins.Create(6);
        twin.Run(TimeSpan.FromMinutes(3));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-north-1"));
        twin.Run(TimeSpan.FromMinutes(2));
        var before = twin.Truth();
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        twin.Step();

        var after = twin.Truth();
        var west = after.Canaries.Region("eu-west-1");
        var received = Math.Max(after.Canaries.Received("eu-west-1", "eu-central-1"), after.Canaries.Received("eu-west-1", "eu-north-1"));
        Assert.InRange(west.Lost, 119, 121);
        Assert.Equal(west.LastSequence - received, west.Lost);
        Assert.True(after.Writes.Lost - before.Writes.Lost > 1000);

        // The newest canary the survivors hold was written just before the cut; its age is the lost writes' age.
        var oldestLost = before.Regions.Single(r => r.Code == "eu-west-1").OldestUnreplicatedAge;
        Assert.InRange(oldestLost.TotalSeconds, 119, 121);
    }

    [Fact]
    public void BadDeploy_CountsCorruptWritesFromItsStart_AndTheyStayAfterRollback()
    {
        var twin = Twins.Create(5);
        twin.Run(TimeSpan.FromMinutes(1));
        var fault = twin.Inject(new FaultSpec(FaultKind.BadDeploy, "eu-west-1", Duration: TimeSpan.FromMinutes(2)));

        twin.Run(TimeSpan.FromMinutes(4));

        var players = twin.Truth().Tables.Single(t => t.Table == "aworld-players");
        Assert.True(players.CorruptWrites > 1000, $"corrupt writes {players.CorruptWrites}");
        Assert.InRange((players.FirstCorruptWriteAt!.Value - fault.StartsAt).TotalSeconds, 0, 1);
        Assert.Equal(0, twin.Truth().Tables.Single(t => t.Table == "aworld-sessions").CorruptWrites);
        Assert.All(players.ActiveTables, a => Assert.Equal(players.CorruptWrites, a.CorruptItems));
    }

    [Fact]
    public void BadDeploy_MakesTheDeployingRegionFailReads_WhileItsTableHoldsCorruptItems()
    {
        var twin = Twins.Create(5);
        twin.Run(TimeSpan.FromMinutes(1));
        var healthy = twin.Truth().Clients.LastSecondSuccessRatio;
        twin.Inject(new FaultSpec(FaultKind.BadDeploy, "eu-west-1", Duration: TimeSpan.FromMinutes(1)));

        twin.Run(TimeSpan.FromMinutes(5));

        // Rolled back after a minute, yet the corrupt items keep failing the region's reads.
        var share = twin.Truth().Region("eu-west-1").TrafficShare;
        Assert.True(healthy > 0.99);
        Assert.InRange(twin.Truth().Clients.LastSecondSuccessRatio, 0.9, 0.99);
        Assert.True(share > 0.2);
    }

    [Fact]
    public async Task Restore_ContainsExactlyTheWritesAcknowledgedUpToItsPointInTime()
    {
        var twin = Twins.Create(5);
        twin.Run(TimeSpan.FromMinutes(2));
        var fault = twin.Inject(new FaultSpec(FaultKind.BadDeploy, "eu-west-1", Duration: TimeSpan.FromMinutes(2)));
        twin.Run(TimeSpan.FromMinutes(8));
        var admin = (IGlobalTableAdmin)twin;

        await admin.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest("aworld-players", "clean", "eu-west-1", fault.StartsAt - TimeSpan.FromSeconds(1), false), CancellationToken.None);
        await admin.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest("aworld-players", "dirty", "eu-west-1", fault.StartsAt + TimeSpan.FromSeconds(30), false), CancellationToken.None);

        var clean = twin.RestoreTruth("clean", "eu-west-1")!;
        var dirty = twin.RestoreTruth("dirty", "eu-west-1")!;
        Assert.Equal(0, clean.CorruptItems);
        Assert.True(dirty.CorruptItems > 0);
        Assert.Equal(clean.ExpectedItems, clean.Items);
        Assert.True(clean.Items > 10_000, $"items {clean.Items}");
        Assert.True(dirty.Items > clean.Items);
        Assert.Null(twin.RestoreTruth("missing", "eu-west-1"));
    }
}
