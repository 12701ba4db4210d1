using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

public class TableTwinTests
{
    [Fact]
    public async Task ContinuousBackups_CoverTheRecoveryPeriodUpToFiveMinutesAgo()
    {
        var twin = Twins.Create(estate: e => e.Tables = [new GlobalTableOptions { Name = "orders", PitrRecoveryPeriodDays = 7 }]);
        twin.Run(TimeSpan.FromHours(1));
        IGlobalTableAdmin admin = twin;

        var backups = await admin.DescribeContinuousBackupsAsync("orders", "eu-central-1", CancellationToken.None);

        Assert.True(backups.PointInTimeRecoveryEnabled);
        Assert.Equal(7, backups.RecoveryPeriodInDays);
        Assert.Equal(twin.Now - TimeSpan.FromDays(7), backups.EarliestRestorableDateTime);
        Assert.Equal(twin.Now - TimeSpan.FromMinutes(5), backups.LatestRestorableDateTime);
    }

    [Fact]
    public async Task DescribeTable_ListsEveryReplica()
    {
        var twin = Twins.Create();
        IGlobalTableAdmin admin = twin;

        var table = await admin.DescribeTableAsync("aworld-players", "eu-west-1", CancellationToken.None);

        Assert.Equal(TableStatus.Active, table.Status);
        Assert.Equal(["eu-west-1", "eu-central-1", "eu-north-1"], table.Replicas.Select(r => r.Region));
        Assert.All(table.Replicas, r => Assert.Equal("ACTIVE", r.ReplicaStatus));
    }

    [Fact]
    public async Task Restore_CreatesANewTable_ThatBecomesActiveAfterTimeProportionalToSize()
    {
        var small = await RestoreDuration(sizeGb: 2);
        var large = await RestoreDuration(sizeGb: 80);

        Assert.True(large > small * 3, $"80 GB took {large}, 2 GB took {small}");
    }

    [Fact]
    public async Task Restore_OutsideTheWindow_IsRejected()
    {
        var twin = Twins.Create();
        IGlobalTableAdmin admin = twin;
        var tooRecent = twin.Now - TimeSpan.FromMinutes(1);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => admin.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("aworld-players", "aworld-players-restored", "eu-west-1", tooRecent, false), CancellationToken.None));

        Assert.Equal("InvalidRestoreTimeException", error.ErrorCode);
    }

    [Fact]
    public async Task Restore_OverAnExistingTable_IsRejected()
    {
        var twin = Twins.Create();
        IGlobalTableAdmin admin = twin;

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => admin.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("aworld-players", "aworld-sessions", "eu-west-1", null, true), CancellationToken.None));

        Assert.Equal("TableAlreadyExistsException", error.ErrorCode);
    }

    [Fact]
    public async Task RegionOutage_MakesItsTablesUnreachable()
    {
        var twin = Twins.Create();
        IGlobalTableAdmin admin = twin;
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        twin.Step();

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => admin.DescribeContinuousBackupsAsync("aworld-players", "eu-west-1", CancellationToken.None));

        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        Assert.NotNull(await admin.DescribeContinuousBackupsAsync("aworld-players", "eu-central-1", CancellationToken.None));
    }

    private static async Task<TimeSpan> RestoreDuration(double sizeGb)
    {
        var twin = Twins.Create(estate: e => e.Tables = [new GlobalTableOptions { Name = "orders", SizeGb = sizeGb }]);
        IGlobalTableAdmin admin = twin;
        twin.Run(TimeSpan.FromMinutes(10));
        var pointInTime = twin.Now - TimeSpan.FromHours(2);

        var started = await admin.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("orders", "orders-restored", "eu-west-1", pointInTime, false), CancellationToken.None);
        Assert.Equal(TableStatus.Creating, started.Status);
        Assert.Equal(pointInTime, started.RestoreSummary!.RestoreDateTime);

        var begin = twin.Now;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var table = await admin.DescribeTableAsync("orders-restored", "eu-west-1", CancellationToken.None);
            if (table.Status == TableStatus.Active)
            {
                Assert.False(table.RestoreSummary!.RestoreInProgress);
                return twin.Now - begin;
            }

            twin.Run(TimeSpan.FromMinutes(1));
        }

        throw new InvalidOperationException("the restore never finished");
    }
}
