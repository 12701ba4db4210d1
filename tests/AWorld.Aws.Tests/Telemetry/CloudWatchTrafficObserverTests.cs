using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Aws.Tests.Telemetry;

/// <summary>A region's share of the API's requests over the last five minutes, from each region's CloudWatch in moto, on the estate's clock.</summary>
[Collection(MotoCollection.Name)]
public sealed class CloudWatchTrafficObserverTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Midnight = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SentShare_IsTheRegionsShareOfTheApisRequests_OverTheLastFiveWholeMinutes()
    {
        var client = Client();
        await client.PutMetricDataAsync("eu-west-1", "AWS/ApiGateway",
        [
            .. Enumerable.Range(5, 5).Select(minute => Count("prod-api", minute, 10)),
            Count("prod-api", 4, 100),   // before the window
            Count("prod-api", 10, 1000), // the minute still being written
        ], CancellationToken.None);
        await client.PutMetricDataAsync("eu-central-1", "AWS/ApiGateway", [Count("prod-api", 7, 30)], CancellationToken.None);
        await client.PutMetricDataAsync("eu-north-1", "AWS/ApiGateway", [Count("another-api", 7, 500)], CancellationToken.None);
        var observer = Observer(client, Midnight.AddMinutes(10).AddSeconds(30));

        Assert.Equal(50.0 / 80, await observer.SentShareAsync("eu-west-1", CancellationToken.None), 9);
        Assert.Equal(30.0 / 80, await observer.SentShareAsync("eu-central-1", CancellationToken.None), 9);
        Assert.Equal(0, await observer.SentShareAsync("eu-north-1", CancellationToken.None));
    }

    [Fact]
    public async Task SentShare_WhenTheEstateServedNothing_IsZero()
    {
        var observer = Observer(Client(), Midnight.AddMinutes(10));

        Assert.Equal(0, await observer.SentShareAsync("eu-west-1", CancellationToken.None));
    }

    [Fact]
    public async Task SentShare_OfARegionOutsideTheEstate_IsRefused()
    {
        var observer = Observer(Client(), Midnight.AddMinutes(10));

        await Assert.ThrowsAsync<ArgumentException>(() => observer.SentShareAsync("us-west-2", CancellationToken.None));
    }

    [Fact]
    public async Task SentShare_WhenTheRegionsCloudWatchIsDownWithIt_CountsItAsServingNothing_AndFailsOnlyWhenNoRegionAnswers()
    {
        // A regional outage takes the region's CloudWatch with it: a failover away from it must not wait on its metrics.
        var metrics = new RegionalOutage("eu-west-1");
        var observer = new CloudWatchTrafficObserver(metrics, Microsoft.Extensions.Options.Options.Create(Options()), EstateTopology.Default, new FakeTimeProvider(Midnight));

        Assert.Equal(0, await observer.SentShareAsync("eu-west-1", CancellationToken.None));
        Assert.Equal(0.5, await observer.SentShareAsync("eu-central-1", CancellationToken.None));

        metrics.Down.UnionWith(["eu-central-1", "eu-north-1"]);
        var error = await Assert.ThrowsAsync<EstateServiceException>(() => observer.SentShareAsync("eu-central-1", CancellationToken.None));
        Assert.Equal("ServiceUnavailable", error.ErrorCode);
    }

    private CloudWatchClient Client() => new(TestAws.Http(Options(), new RecordingHandler()));

    private CloudWatchTrafficObserver Observer(CloudWatchClient client, DateTimeOffset now) =>
        new(client, Microsoft.Extensions.Options.Options.Create(Options()), EstateTopology.Default, new FakeTimeProvider(now));

    private AwsOptions Options()
    {
        var options = moto.Options();
        options.Resources = new AwsResourceNames { ApiName = "prod-api" };
        return options;
    }

    private static MetricDatum Count(string api, int minute, double value) =>
        new("Count", [new MetricDimension("ApiName", api)], Midnight.AddMinutes(minute).AddSeconds(12), value);
}

/// <summary>CloudWatch whose listed regions do not answer; the others report 100 requests.</summary>
internal sealed class RegionalOutage(string region) : ICloudWatchMetrics
{
    public HashSet<string> Down { get; } = [region];

    public Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, CancellationToken cancellationToken) =>
        Down.Contains(region)
            ? throw new EstateServiceException("CloudWatch", region, "ServiceUnavailable", "The CloudWatch endpoint does not answer.")
            : Task.FromResult<IReadOnlyList<MetricDataResult>>([.. queries.Select(q => new MetricDataResult(q.Id, [start], [100], MetricDataStatus.Complete))]);
}
