using Amazon.DynamoDBv2.Model;
using AWorld.Aws.Data;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using Microsoft.Extensions.Time.Testing;
using RestoreRequest = AWorld.Core.Estate.RestoreTableToPointInTimeRequest;

namespace AWorld.Aws.Tests.Data;

[Collection(MotoCollection.Name)]
public sealed class AwsGroundTruthTests(MotoServer moto) : IAsyncLifetime
{
    private const string West = "eu-west-1";
    private const string Central = "eu-central-1";

    private static readonly EstateTopology Estate = EstateTopology.From(new EstateOptions
    {
        Regions = [new RegionOptions { Code = West }, new RegionOptions { Code = Central }],
        Tables = [new GlobalTableOptions { Name = "orders" }],
    });

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly FakePorts _ports = new();

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Canaries_AreWrittenToEachRegionsReplica_AndReadAcross_WhichMotoDoesNotReplicate()
    {
        using var clients = MotoData.Clients(CanaryOptions());
        await clients.CreateTableAsync(West, "orders");
        await clients.CreateTableAsync(Central, "orders");
        using var truth = Truth(clients);

        EstateTruth sample = null!;
        for (var i = 0; i < 3; i++)
        {
            sample = await truth.ReadAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        foreach (var region in new[] { West, Central })
        {
            var canary = sample.Canaries.Region(region);
            Assert.Equal(("orders", 3L), (canary.Table, canary.LastSequence));
            Assert.Equal(_clock.GetUtcNow().AddSeconds(-1), canary.LastAcknowledgedAt);
            Assert.False(sample.Region(region).Down);
            Assert.Equal(3L, await SequenceAsync(clients, region, region));
        }

        // moto keeps each region's tables apart: no canary of the other region ever arrives.
        Assert.Equal(0, sample.Canaries.Received(West, Central));
        Assert.Equal(0, sample.Canaries.Received(Central, West));
        // So the oldest canary missing from the receiver is the first, written two seconds before the sample.
        Assert.Equal(2000, sample.Pairs.Single(p => p.From == West && p.To == Central).LagMs);

        // Copying eu-west-1's canary item into eu-central-1's replica, as a global table would, is what the next sample reads.
        var item = (await clients.DynamoDb(West).GetItemAsync(new GetItemRequest { TableName = "orders", Key = Key(West), ConsistentRead = true })).Item;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["at"].S);
        await clients.DynamoDb(Central).PutItemAsync(new PutItemRequest { TableName = "orders", Item = item });

        sample = await truth.ReadAsync(CancellationToken.None);

        Assert.Equal(3, sample.Canaries.Received(West, Central));
        Assert.Equal(4, sample.Canaries.Region(West).LastSequence);
        // The receiver misses only the canary written in this very sample: no lag at a second's resolution.
        Assert.Equal(0, sample.Pairs.Single(p => p.From == West && p.To == Central).LagMs);
        Assert.Equal(0, sample.Canaries.Received(Central, West));
    }

    [Fact]
    public async Task ARegionWhoseCanaryWriteFails_IsDown_UntilAWriteIsAcknowledgedAgain()
    {
        using var clients = MotoData.Clients(CanaryOptions());
        await clients.CreateTableAsync(West, "orders");
        using var truth = Truth(clients);

        var sample = await truth.ReadAsync(CancellationToken.None);

        Assert.True(sample.Region(Central).Down);
        Assert.False(sample.Region(West).Down);
        Assert.Equal(0, sample.Canaries.Region(Central).LastSequence);
        Assert.True(sample.Pairs.Single(p => p.From == Central && p.To == West).SourceDown);

        await clients.CreateTableAsync(Central, "orders");
        sample = await truth.ReadAsync(CancellationToken.None);

        Assert.False(sample.Region(Central).Down);
        Assert.Equal(1, sample.Canaries.Region(Central).LastSequence);
        Assert.Equal(2, sample.Canaries.Region(West).LastSequence);
    }

    [Fact]
    public async Task ARestartedGroundTruth_ContinuesEachRegionsSequence()
    {
        using var clients = MotoData.Clients(CanaryOptions());
        await clients.CreateTableAsync(West, "orders");
        await clients.CreateTableAsync(Central, "orders");
        using (var first = Truth(clients))
        {
            await first.ReadAsync(CancellationToken.None);
            await first.ReadAsync(CancellationToken.None);
        }

        using var second = Truth(clients);
        var sample = await second.ReadAsync(CancellationToken.None);

        Assert.Equal(3, sample.Canaries.Region(West).LastSequence);
        Assert.Equal(3L, await SequenceAsync(clients, West, West));
    }

    [Fact]
    public async Task Canaries_WithWritesOff_AreNeitherWrittenNorRead_AndNoRegionIsDown()
    {
        using var setup = MotoData.Clients(moto.Options());
        await setup.CreateTableAsync(West, "orders");
        await setup.CreateTableAsync(Central, "orders");
        var options = CanaryOptions();
        options.AllowWrites = false;
        using var clients = MotoData.Clients(options);
        using var truth = Truth(clients);

        var sample = await truth.ReadAsync(CancellationToken.None);

        Assert.False(truth.CanariesActive);
        Assert.All(sample.Regions, r => Assert.False(r.Down));
        Assert.All(sample.Canaries.Regions, c => Assert.Equal(0, c.LastSequence));
        Assert.Empty(sample.Canaries.Pairs);
        Assert.Null(await SequenceAsync(setup, West, West));
    }

    [Fact]
    public async Task SharesWeightsHealthSuccessAndActiveTables_ComeFromThePorts_AndWhatAwsCannotKnowIsZero()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(West, "orders-restore-1");
        await new SsmTableRouting(clients, new DynamoDbTableAdmin(clients)).SetActiveTableAsync("orders", West, "orders-restore-1", CancellationToken.None);
        (_ports.Shares[West], _ports.Shares[Central]) = (0.25, 0.75);
        _ports.Records.AddRange([new TrafficRecord(West, 20, null, "hc-eu-west-1", 60), new TrafficRecord(Central, 80, null, "hc-eu-central-1", 60)]);
        _ports.Checkers[Estate.HealthCheckFor(West).Id] = [true, false, false, false, false, false, false, false];
        _ports.Checkers[Estate.HealthCheckFor(Central).Id] = [true, true, true, true, true, true, true, false];
        _ports.Success = 0.995;
        using var truth = Truth(clients);

        var sample = await truth.ReadAsync(CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), sample.At);
        Assert.Equal((0.25, 20, false, 12.5), (sample.Region(West).TrafficShare, sample.Region(West).Weight, sample.Region(West).Route53Healthy, sample.Region(West).Route53PercentHealthy));
        Assert.Equal((0.75, 80, true, 87.5), (sample.Region(Central).TrafficShare, sample.Region(Central).Weight, sample.Region(Central).Route53Healthy, sample.Region(Central).Route53PercentHealthy));
        Assert.Equal(0.995, sample.Clients.LastSecondSuccessRatio);
        var orders = sample.Tables.Single();
        Assert.Equal("orders-restore-1", orders.ActiveTables.Single(a => a.Region == West).PhysicalTable);
        Assert.Equal("orders", orders.ActiveTables.Single(a => a.Region == Central).PhysicalTable);
        Assert.Equal((0L, 0L, (DateTimeOffset?)null), (orders.Items, orders.CorruptWrites, orders.FirstCorruptWriteAt));
        Assert.Equal(new WriteTotals(0, 0, 0, 0), sample.Writes);
        Assert.Equal((0L, 0L), (sample.Clients.Requests, sample.Clients.Failed));
        Assert.All(sample.Regions, r => Assert.Equal((0L, TimeSpan.Zero), (r.UnreplicatedWrites, r.OldestUnreplicatedAge)));
    }

    [Fact]
    public async Task ThePortsAreAskedOnlyEveryRefreshInterval_AndAFailingPortKeepsTheLastValues()
    {
        using var clients = MotoData.Clients(moto.Options());
        (_ports.Shares[West], _ports.Success) = (0.5, 0.99);
        using var truth = Truth(clients);
        await truth.ReadAsync(CancellationToken.None);
        var (cloudWatch, route53) = (_ports.CloudWatchCalls, _ports.Route53Calls);

        _clock.Advance(TimeSpan.FromSeconds(9));
        await truth.ReadAsync(CancellationToken.None);
        Assert.Equal((cloudWatch, route53), (_ports.CloudWatchCalls, _ports.Route53Calls));

        _ports.Failing = true;
        _clock.Advance(TimeSpan.FromSeconds(1));
        await truth.ReadAsync(CancellationToken.None);
        await truth.Refreshing;
        var sample = await truth.ReadAsync(CancellationToken.None);

        Assert.True(_ports.CloudWatchCalls > cloudWatch);
        Assert.Equal(route53, _ports.Route53Calls);
        Assert.Equal(0.5, sample.Region(West).TrafficShare);
        Assert.Equal(0.99, sample.Clients.LastSecondSuccessRatio);

        _clock.Advance(TimeSpan.FromSeconds(20));
        await truth.ReadAsync(CancellationToken.None);
        Assert.True(_ports.Route53Calls > route53);
    }

    [Fact]
    public async Task ClientsSuccess_BeforeAnyIsKnown_IsZero_SoNoRecoveryIsClaimedWithoutEvidence()
    {
        using var clients = MotoData.Clients(moto.Options());
        using var truth = Truth(clients);

        Assert.Equal(0, (await truth.ReadAsync(CancellationToken.None)).Clients.LastSecondSuccessRatio);
    }

    [Fact]
    public async Task RestoredTable_IsDescribedFromDynamoDb_ReadyWithItsItemCount_AndNullForOtherTables()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(West, "orders", pitr: true);
        await clients.PutAsync(West, "orders", "o-1", "o-1");
        await clients.PutAsync(West, "orders", "o-2", "o-2");
        await new DynamoDbTableAdmin(clients).RestoreTableToPointInTimeAsync(new RestoreRequest("orders", "orders-restore-1", West, null, true), CancellationToken.None);
        using var truth = Truth(clients);

        var restored = await truth.RestoredTableAsync("orders-restore-1", West, CancellationToken.None);

        Assert.NotNull(restored);
        Assert.Equal(("orders-restore-1", West, "orders", true), (restored.Table, restored.Region, restored.Source, restored.Ready));
        Assert.Equal((2L, 0L, 0L, 2L), (restored.Items, restored.CorruptItems, restored.CorruptWrittenAfterCutover, restored.ExpectedItems));
        Assert.Null(await truth.RestoredTableAsync("orders-restore-9", West, CancellationToken.None));
        Assert.Null(await truth.RestoredTableAsync("orders", West, CancellationToken.None));
    }

    private AwsOptions CanaryOptions()
    {
        var options = moto.Options();
        options.Canaries.Enabled = true;
        return options;
    }

    private AwsGroundTruth Truth(AwsSdkClients clients) =>
        new(clients, Estate, _ports, _ports, _ports, new SsmTableRouting(clients, new DynamoDbTableAdmin(clients)), _ports, _clock);

    private static Dictionary<string, AttributeValue> Key(string region) => new() { ["pk"] = new() { S = AwsGroundTruth.CanaryKeyPrefix + region } };

    private static async Task<long?> SequenceAsync(AwsSdkClients clients, string from, string at)
    {
        var item = (await clients.DynamoDb(at).GetItemAsync(new GetItemRequest { TableName = "orders", Key = Key(from), ConsistentRead = true })).Item;
        return item is { Count: > 0 } ? long.Parse(item["seq"].N, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
