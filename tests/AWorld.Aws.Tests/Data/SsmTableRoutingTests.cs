using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using AWorld.Aws.Data;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;

namespace AWorld.Aws.Tests.Data;

[Collection(MotoCollection.Name)]
public sealed class SsmTableRoutingTests(MotoServer moto) : IAsyncLifetime
{
    private const string Region = "eu-west-1";
    private const string Parameter = "/aworld/orders/eu-west-1/active-table";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_WithoutAParameter_IsTheLogicalTable()
    {
        using var clients = MotoData.Clients(moto.Options());

        Assert.Equal("orders", await Routing(clients).GetActiveTableAsync("orders", Region, CancellationToken.None));
    }

    [Fact]
    public async Task Set_CreatesThenOverwritesTheRegionsParameter_OneVersionEach()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "orders-restore-1");
        await clients.CreateTableAsync(Region, "orders-restore-2");
        var routing = Routing(clients);

        await routing.SetActiveTableAsync("orders", Region, "orders-restore-1", CancellationToken.None);
        Assert.Equal("orders-restore-1", await routing.GetActiveTableAsync("orders", Region, CancellationToken.None));
        Assert.Equal(("orders-restore-1", 1L), await ReadAsync(clients, Region));

        await routing.SetActiveTableAsync("orders", Region, "orders-restore-2", CancellationToken.None);
        Assert.Equal(("orders-restore-2", 2L), await ReadAsync(clients, Region));
        // Parameters are regional: the other region's application still uses the logical table.
        Assert.Equal("orders", await routing.GetActiveTableAsync("orders", "eu-central-1", CancellationToken.None));
    }

    [Fact]
    public async Task Set_ToTheTableAlreadyInUse_WritesNothing()
    {
        using var clients = MotoData.Clients(moto.Options(allowWrites: false));

        await Routing(clients).SetActiveTableAsync("orders", Region, "orders", CancellationToken.None);

        Assert.Null(await ReadAsync(clients, Region));
    }

    [Fact]
    public async Task Set_WhenSomeoneElseWritesBetweenTheReadAndTheWrite_IsAConflictNamingTheParameter()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "orders-restore-1");
        await clients.CreateTableAsync(Region, "orders-restore-2");
        await PutAsync(clients, "orders-restore-1", overwrite: false);
        // The other operator writes while the switch checks its table, i.e. after the switch read version 1.
        var routing = new SsmTableRouting(clients, new BeforeDescribe(new DynamoDbTableAdmin(clients), () => PutAsync(clients, "orders-other", overwrite: true)));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => routing.SetActiveTableAsync("orders", Region, "orders-restore-2", CancellationToken.None));

        Assert.Equal(SsmTableRouting.ConflictCode, error.ErrorCode);
        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Contains("we read version 1 and our write became version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_WhenSomeoneElseCreatesTheParameterFirst_IsAConflict_AndTheirValueStays()
    {
        using var clients = MotoData.Clients(moto.Options());
        await clients.CreateTableAsync(Region, "orders-restore-1");
        var routing = new SsmTableRouting(clients, new BeforeDescribe(new DynamoDbTableAdmin(clients), () => PutAsync(clients, "orders-other", overwrite: false)));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => routing.SetActiveTableAsync("orders", Region, "orders-restore-1", CancellationToken.None));

        Assert.Equal(SsmTableRouting.ConflictCode, error.ErrorCode);
        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Equal(("orders-other", 1L), await ReadAsync(clients, Region));
    }

    [Fact]
    public async Task Set_ToATableThatDoesNotExist_IsResourceNotFound_AndWritesNothing()
    {
        using var clients = MotoData.Clients(moto.Options());

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => Routing(clients).SetActiveTableAsync("orders", Region, "orders-restore-9", CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Null(await ReadAsync(clients, Region));
    }

    [Fact]
    public async Task Set_WithWritesOff_IsNotSent_AndTheMessageHoldsTheExactRequest()
    {
        using var setup = MotoData.Clients(moto.Options());
        await setup.CreateTableAsync(Region, "orders-restore-1");
        await PutAsync(setup, "orders", overwrite: false);
        using var clients = MotoData.Clients(moto.Options(allowWrites: false));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => Routing(clients).SetActiveTableAsync("orders", Region, "orders-restore-1", CancellationToken.None));

        Assert.Equal(AwsHttp.DryRunCode, error.ErrorCode);
        Assert.Contains(
            $"POST {moto.Endpoint} (AmazonSSM.PutParameter) {{\"Name\":\"{Parameter}\",\"Overwrite\":true,\"Type\":\"String\",\"Value\":\"orders-restore-1\"}}",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(("orders", 1L), await ReadAsync(setup, Region));
    }

    private static SsmTableRouting Routing(AwsSdkClients clients) => new(clients, new DynamoDbTableAdmin(clients));

    private static async Task<(string Value, long Version)?> ReadAsync(AwsSdkClients clients, string region)
    {
        try
        {
            var parameter = (await clients.Client<IAmazonSimpleSystemsManagement>(AwsService.Ssm, region, AwsPurpose.Read)
                .GetParameterAsync(new GetParameterRequest { Name = Parameter })).Parameter;
            return (parameter.Value, parameter.Version ?? 0);
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    private static async Task PutAsync(AwsSdkClients clients, string value, bool overwrite) =>
        await clients.Client<IAmazonSimpleSystemsManagement>(AwsService.Ssm, Region, AwsPurpose.Write)
            .PutParameterAsync(new PutParameterRequest { Name = Parameter, Value = value, Type = ParameterType.String, Overwrite = overwrite });

    /// <summary>Runs <paramref name="meanwhile"/> before each DescribeTable: another writer acting while the switch checks its table.</summary>
    private sealed class BeforeDescribe(IGlobalTableAdmin inner, Func<Task> meanwhile) : IGlobalTableAdmin
    {
        public async Task<TableDescription> DescribeTableAsync(string tableName, string region, CancellationToken cancellationToken)
        {
            await meanwhile();
            return await inner.DescribeTableAsync(tableName, region, cancellationToken);
        }

        public Task<ContinuousBackupsDescription> DescribeContinuousBackupsAsync(string tableName, string region, CancellationToken cancellationToken) =>
            inner.DescribeContinuousBackupsAsync(tableName, region, cancellationToken);

        public Task<TableDescription> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken) =>
            inner.RestoreTableToPointInTimeAsync(request, cancellationToken);
    }
}
