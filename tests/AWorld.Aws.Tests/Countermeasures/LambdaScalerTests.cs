using AWorld.Aws.Countermeasures;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Countermeasures;

/// <summary>Lambda reserved concurrency against moto's Lambda (functions created from a zip: moto needs Docker only to invoke).</summary>
[Collection(MotoCollection.Name)]
public sealed class LambdaScalerTests(MotoServer moto) : IAsyncLifetime
{
    private const string Region = "eu-west-1";
    private static readonly string[] Functions = ["aworld-api-handler", "aworld-worker"];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await MotoAccount.CreateFunctionsAsync(moto.Endpoint, Region, Functions);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LambdaClient_PutsGetsAndDeletesReservedConcurrency()
    {
        var lambda = new LambdaClient(TestAws.Http(moto.Options()));

        Assert.Null(await lambda.GetFunctionConcurrencyAsync(Region, Functions[0], default));
        Assert.Equal(150, await lambda.PutFunctionConcurrencyAsync(Region, Functions[0], 150, default));
        Assert.Equal(150, await lambda.GetFunctionConcurrencyAsync(Region, Functions[0], default));
        Assert.Equal(150, (await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions[0]))[Functions[0]]);

        await lambda.DeleteFunctionConcurrencyAsync(Region, Functions[0], default);

        Assert.Null(await lambda.GetFunctionConcurrencyAsync(Region, Functions[0], default));
        Assert.Null((await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions[0]))[Functions[0]]);
    }

    [Fact]
    public async Task SetScale_ReservesBaselineTimesScaleOnEveryFunction_OutAndBackIn()
    {
        var scaler = Scaler(moto.Options());
        Assert.Equal(1, await scaler.GetScaleAsync(Region, default));

        await scaler.SetScaleAsync(Region, 1.5, default);

        Assert.Equal(Functions.ToDictionary(f => f, _ => (int?)150), await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions));
        Assert.Equal(1.5, await scaler.GetScaleAsync(Region, default));

        await scaler.SetScaleAsync(Region, 1.234, default);
        Assert.Equal(Functions.ToDictionary(f => f, _ => (int?)123), await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions));

        await scaler.SetScaleAsync(Region, 1, default);

        Assert.Equal(Functions.ToDictionary(f => f, _ => (int?)100), await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions));
        Assert.Equal(1, await scaler.GetScaleAsync(Region, default));
    }

    [Fact]
    public async Task GetScale_IsTheSmallestOfTheFunctions_OneForAFunctionWithoutReservation()
    {
        await MotoAccount.PutReservedConcurrencyAsync(moto.Endpoint, Region, Functions[0], 300);
        var scaler = Scaler(moto.Options());

        Assert.Equal(1, await scaler.GetScaleAsync(Region, default));

        await MotoAccount.PutReservedConcurrencyAsync(moto.Endpoint, Region, Functions[1], 200);
        Assert.Equal(2, await scaler.GetScaleAsync(Region, default));
    }

    [Fact]
    public async Task SetScale_WithWritesOff_ThrowsTheDryRunListingEveryFunction_AndNothingChanges()
    {
        var scaler = Scaler(moto.Options(allowWrites: false));

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => scaler.SetScaleAsync(Region, 2, default));

        Assert.Equal(AwsHttp.DryRunCode, ex.ErrorCode);
        Assert.Contains(
            $"1) PUT {moto.Endpoint}2017-10-31/functions/{Functions[0]}/concurrency {{\"ReservedConcurrentExecutions\":200}}; 2) PUT {moto.Endpoint}2017-10-31/functions/{Functions[1]}/concurrency {{\"ReservedConcurrentExecutions\":200}}",
            ex.Message, StringComparison.Ordinal);
        Assert.Equal(Functions.ToDictionary(f => f, _ => (int?)null), await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions));
    }

    [Fact]
    public async Task SetScale_AMissingFunction_StillWritesTheOthers_AndReportsIt()
    {
        var options = moto.Options();
        var scaler = Scaler(options, ["aworld-missing", .. Functions]);

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => scaler.SetScaleAsync(Region, 2, default));

        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
        Assert.StartsWith("1 of 3 functions did not take 200 reserved executions: aworld-missing:", ex.Message[(ex.Message.IndexOf(": 1 of", StringComparison.Ordinal) + 2)..], StringComparison.Ordinal);
        Assert.Equal(Functions.ToDictionary(f => f, _ => (int?)200), await MotoAccount.ReservedConcurrencyAsync(moto.Endpoint, Region, Functions));
    }

    [Fact]
    public async Task ARegionWithoutScaling_IsNotConfigured()
    {
        var scaler = Scaler(moto.Options());

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => scaler.GetScaleAsync("eu-north-1", default));

        Assert.Equal(CountermeasureErrors.NotConfigured, ex.ErrorCode);
        Assert.Contains("Estate:Aws:Scaling:eu-north-1:Functions", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => scaler.SetScaleAsync(Region, 0, default));
    }

    private static LambdaScaler Scaler(AwsOptions options, string[]? functions = null)
    {
        options.Scaling[Region] = new AwsScalingOptions { Functions = [.. functions ?? Functions], BaselineConcurrency = 100 };
        var http = TestAws.Http(options);
        return new LambdaScaler(new LambdaClient(http), http, Options.Create(options));
    }
}
