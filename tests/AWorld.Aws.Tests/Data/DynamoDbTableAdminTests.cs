using ScanRequest = Amazon.DynamoDBv2.Model.ScanRequest;
using AWorld.Aws.Data;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;

namespace AWorld.Aws.Tests.Data;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbTableAdminTests(MotoServer moto) : IAsyncLifetime
{
    private const string Region = "eu-west-1";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RestoreToPointInTime_InsideTheWindow_CreatesATableThatDescribesAsRestored()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "orders", pitr: true);
        foreach (var id in new[] { "o-1", "o-2", "o-3" })
        {
            await clients.PutAsync(Region, "orders", id, id);
        }

        var admin = new DynamoDbTableAdmin(clients);
        var window = await admin.DescribeContinuousBackupsAsync("orders", Region, CancellationToken.None);
        Assert.True(window.PointInTimeRecoveryEnabled);
        Assert.Equal(35, window.RecoveryPeriodInDays);
        Assert.NotNull(window.EarliestRestorableDateTime);
        Assert.NotNull(window.LatestRestorableDateTime);
        Assert.True(window.EarliestRestorableDateTime <= window.LatestRestorableDateTime);

        var started = await admin.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("orders", "orders-restore-1", Region, window.LatestRestorableDateTime, false), CancellationToken.None);
        Assert.Equal("orders-restore-1", started.TableName);

        var restored = await admin.DescribeTableAsync("orders-restore-1", Region, CancellationToken.None);
        Assert.Equal(TableStatus.Active, restored.Status);
        Assert.NotNull(restored.RestoreSummary);
        Assert.Equal("orders", restored.RestoreSummary.SourceTableName);
        Assert.Equal(Region, restored.RestoreSummary.SourceRegion);
        Assert.False(restored.RestoreSummary.RestoreInProgress);
        // moto stamps RestoreDateTime with the moment the restore was made, not the point in time asked for (AWS
        // reports the point in time); it is at least not before the window.
        Assert.True(restored.RestoreSummary.RestoreDateTime >= window.EarliestRestorableDateTime);
        var copied = await clients.DynamoDb(Region).ScanAsync(new ScanRequest { TableName = "orders-restore-1" });
        Assert.Equal(3, copied.Count);
    }

    [Fact]
    public async Task DescribeContinuousBackups_WithRecoveryOff_SaysSoWithoutAWindow()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "accounts");

        var window = await new DynamoDbTableAdmin(clients).DescribeContinuousBackupsAsync("accounts", Region, CancellationToken.None);

        Assert.False(window.PointInTimeRecoveryEnabled);
        Assert.Null(window.EarliestRestorableDateTime);
        Assert.Null(window.LatestRestorableDateTime);
    }

    [Fact]
    public async Task DescribeTable_OfATableMotoHolds_IsActive_AndMotoModelsNoReplicas()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "orders");

        var table = await new DynamoDbTableAdmin(clients).DescribeTableAsync("orders", Region, CancellationToken.None);

        Assert.Equal("orders", table.TableName);
        Assert.Equal(Region, table.Region);
        Assert.Equal(TableStatus.Active, table.Status);
        Assert.Null(table.RestoreSummary);
        Assert.True(table.CreationDateTime > DateTimeOffset.UnixEpoch);
        // moto 5.2 has no global tables: DescribeTable carries no Replicas, and each region's backend is separate.
        Assert.Empty(table.Replicas);
    }

    [Fact]
    public async Task DescribeTable_OfAMissingTable_IsResourceNotFound_AsTheExecutorExpects()
    {
        using var clients = MotoData.Clients(moto.Options());

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => new DynamoDbTableAdmin(clients).DescribeTableAsync("nope", Region, CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal("DynamoDB", error.Service);
        Assert.Equal(Region, error.Region);
        Assert.Contains("(dynamodb:DescribeTable)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WithWritesOff_IsNotSent_AndTheMessageHoldsTheExactRequest()
    {
        using var setup = MotoData.Clients(moto.Options());
        await setup.CreateTableAsync(Region, "orders", pitr: true);
        using var clients = MotoData.Clients(moto.Options(allowWrites: false));
        var at = new DateTimeOffset(2026, 3, 2, 9, 15, 30, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => new DynamoDbTableAdmin(clients).RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("orders", "orders-restore-1", Region, at, false), CancellationToken.None));

        Assert.Equal(AwsHttp.DryRunCode, error.ErrorCode);
        Assert.Contains($"POST {moto.Endpoint} (DynamoDB_20120810.RestoreTableToPointInTime)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"RestoreDateTime\":{at.ToUnixTimeSeconds()}", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"SourceTableName\":\"orders\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"TargetTableName\":\"orders-restore-1\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(["orders"], await setup.TablesAsync(Region));
    }

    [Fact]
    public async Task Restore_DeniedByIam_NamesTheActionToGrant()
    {
        using var setup = MotoData.Clients(moto.Options());
        await setup.CreateTableAsync(Region, "orders", pitr: true);
        var (keyId, secret) = await MotoData.CreateUserAsync(moto, "aworld-reader", "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups");
        var options = moto.Options();
        (options.AccessKeyId, options.SecretAccessKey) = (keyId, secret);
        using var clients = MotoData.Clients(options);
        var admin = new DynamoDbTableAdmin(clients);

        await MotoData.EnforceIamAsync(moto, true);
        try
        {
            // Allowed: the reader sees the table (moto checks the SDK's signature with the user's secret).
            Assert.Equal(TableStatus.Active, (await admin.DescribeTableAsync("orders", Region, CancellationToken.None)).Status);

            var error = await Assert.ThrowsAsync<EstateServiceException>(() => admin.RestoreTableToPointInTimeAsync(
                new RestoreTableToPointInTimeRequest("orders", "orders-restore-1", Region, null, true), CancellationToken.None));

            // moto answers 403 with a query-style XML error (code AccessDenied; AWS sends JSON AccessDeniedException): both count as denied.
            Assert.Equal("AccessDenied", error.ErrorCode);
            Assert.Contains("Grant the IAM action dynamodb:RestoreTableToPointInTime to the console's role", error.Message, StringComparison.Ordinal);
            Assert.Contains("not authorized to perform: dynamodb:RestoreTableToPointInTime", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await MotoData.EnforceIamAsync(moto, false);
        }

        Assert.Equal(["orders"], await setup.TablesAsync(Region));
    }
}
