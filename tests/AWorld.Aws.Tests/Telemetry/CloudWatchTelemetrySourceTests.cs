using System.Collections.Immutable;
using System.Text.Json;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Telemetry;

/// <summary>Metrics put into moto's CloudWatch and read back through the telemetry source, as the monitor asks for them.</summary>
[Collection(MotoCollection.Name)]
public sealed class CloudWatchTelemetrySourceTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AwsResourceNames AccountNames = new() { ApiName = "prod-api", FunctionName = "prod-api-handler", CacheClusterName = "prod-cache" };

    private static readonly AwsEstateOptions Estate = new()
    {
        Regions =
        [
            new AwsRegionOptions { Code = "eu-west-1", HealthCheckId = "0b6e4c5a-0000-4000-8000-00000000e001" },
            new AwsRegionOptions { Code = "eu-central-1", HealthCheckId = "0b6e4c5a-0000-4000-8000-00000000c001" },
        ],
    };

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GetMetricData_TheMonitorsQueries_ReadBackWhatWasPut_UnderTheAccountsNames_AlignedToTheMinute()
    {
        var (client, transport) = Client();
        await client.PutMetricDataAsync("eu-west-1", "AWS/ApiGateway",
        [
            Datum("Count", "ApiName", "prod-api", 5, 10), Datum("Count", "ApiName", "prod-api", 30, 5),
            Datum("Count", "ApiName", "prod-api", 65, 7), Datum("Count", "ApiName", "prod-api", 130, 1),
            Datum("5XXError", "ApiName", "prod-api", 20, 2),

            // The catalog's own name is not the account's: a query that kept it would read these.
            Datum("Count", "ApiName", MetricCatalog.ApiName, 5, 999),
        ], CancellationToken.None);
        await client.PutMetricDataAsync("eu-west-1", "AWS/Lambda", [Datum("Errors", "FunctionName", "prod-api-handler", 70, 3)], CancellationToken.None);
        await client.PutMetricDataAsync("eu-west-1", "AWS/MemoryDB",
            [Datum("CPUUtilization", "ClusterName", "prod-cache", 10, 40), Datum("CPUUtilization", "ClusterName", "prod-cache", 50, 60)], CancellationToken.None);
        await client.PutMetricDataAsync("us-east-1", "AWS/Route53",
        [
            Datum("HealthCheckStatus", "HealthCheckId", "0b6e4c5a-0000-4000-8000-00000000e001", 15, 1),
            Datum("HealthCheckStatus", "HealthCheckId", "0b6e4c5a-0000-4000-8000-00000000e001", 75, 0),
            Datum("HealthCheckStatus", "HealthCheckId", "0b6e4c5a-0000-4000-8000-00000000e001", 80, 1),
        ], CancellationToken.None);
        var source = Source(client);

        // The monitor's groups of AWS metrics: one per query region, ids m0, m1, … in catalog order, asked at 1 s.
        var series = MetricCatalog.SeriesFor(EstateTopology.Default, 1).Where(s => !s.Descriptor.HighResolution).ToImmutableArray();
        var west = await ReadGroupAsync(source, series, "eu-west-1");
        var route53 = await ReadGroupAsync(source, series, MetricCatalog.Route53MetricsRegion);

        // Start T0+10s floors to T0, end T0+190s to T0+180: minutes 0, 1 and 2, each stamped at its start.
        Assert.Equal(Points((0, 15), (60, 7), (120, 1)), west["eu-west-1/ApiRequests"]);
        Assert.Equal(Points((0, 2)), west["eu-west-1/Api5xx"]);
        Assert.Equal(Points((60, 3)), west["eu-west-1/LambdaErrors"]);
        Assert.Equal(Points((0, 50)), west["eu-west-1/MemoryDbCpu"]);
        Assert.Empty(west["eu-west-1/LambdaThrottles"]);
        Assert.Equal(Points((0, 1), (60, 0)), route53["eu-west-1/Route53HealthCheckStatus"]);
        Assert.Empty(route53["eu-central-1/Route53HealthCheckStatus"]);

        // On the wire: the account's names, CloudWatch's 60-second period, a window in whole minutes.
        var calls = transport.Requests.Where(r => r.Header("X-Amz-Target") == "GraniteServiceVersion20100801.GetMetricData").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal((T0.ToUnixTimeSeconds(), T0.AddSeconds(180).ToUnixTimeSeconds()), (c.GetProperty("StartTime").GetInt64(), c.GetProperty("EndTime").GetInt64())));
        Assert.All(calls.SelectMany(c => c.GetProperty("MetricDataQueries").EnumerateArray()), q => Assert.Equal(60, q.GetProperty("MetricStat").GetProperty("Period").GetInt32()));
        var dimensionValues = calls.SelectMany(c => c.GetProperty("MetricDataQueries").EnumerateArray())
            .SelectMany(q => q.GetProperty("MetricStat").GetProperty("Metric").TryGetProperty("Dimensions", out var d) ? d.EnumerateArray() : [])
            .Select(d => d.GetProperty("Value").GetString()).ToHashSet();
        Assert.Contains("prod-api", dimensionValues);
        Assert.Contains("0b6e4c5a-0000-4000-8000-00000000c001", dimensionValues);
        Assert.DoesNotContain(MetricCatalog.ApiName, dimensionValues);
        Assert.DoesNotContain("hc-eu-west-1", dimensionValues);

        // A region without a configured health check keeps the topology's id (no data: the view shows it stale).
        Assert.Contains("hc-eu-north-1", dimensionValues);

        // The canaries are high-resolution custom metrics: CloudWatch serves them at their own second.
        var canary = MetricCatalog.SeriesFor(EstateTopology.Default).First(s => s.Descriptor.Metric == EstateMetric.CanarySuccess);
        Assert.Equal(1, source.ToAccount(canary.Stat).PeriodSeconds);
        Assert.Equal(60, source.ToAccount(series[0].Stat).PeriodSeconds);
    }

    [Fact]
    public async Task GetMetricData_MoreThan500Queries_IsSplitIntoCallsOfAtMost500_AndEveryResultKeepsItsId()
    {
        var (client, transport) = Client();
        const int count = 501;
        await client.PutMetricDataAsync("eu-west-1", "AWorld/Test",
            [.. Enumerable.Range(0, count).Select(i => Datum("Split", "Index", i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, i))], CancellationToken.None);
        var queries = Enumerable.Range(0, count)
            .Select(i => new MetricDataQuery($"q{i}", new MetricStat("AWorld/Test", "Split", [new MetricDimension("Index", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], 60, "Sum")))
            .ToList();

        var response = await Source(client).GetMetricDataAsync(new GetMetricDataRequest("eu-west-1", T0, T0.AddMinutes(1), queries), CancellationToken.None);

        var batches = transport.Requests.Where(r => r.Header("X-Amz-Target") == "GraniteServiceVersion20100801.GetMetricData")
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("MetricDataQueries").GetArrayLength()).ToList();
        Assert.Equal([500, 1], batches);
        Assert.Equal(queries.Select(q => q.Id), response.Results.Select(r => r.Id));
        Assert.All(response.Results, r =>
        {
            Assert.Equal(MetricDataStatus.Complete, r.StatusCode);
            Assert.Equal([double.Parse(r.Id[1..], System.Globalization.CultureInfo.InvariantCulture)], r.Values);
            Assert.Equal([T0], r.Timestamps);
        });
    }

    private (CloudWatchClient Client, RecordingHandler Transport) Client()
    {
        var options = moto.Options();
        options.Resources = AccountNames;
        var transport = new RecordingHandler();
        return (new CloudWatchClient(TestAws.Http(options, transport)), transport);
    }

    private CloudWatchTelemetrySource Source(CloudWatchClient client)
    {
        var options = moto.Options();
        options.Resources = AccountNames;
        return new CloudWatchTelemetrySource(client, Options.Create(options), Options.Create(Estate));
    }

    private static async Task<Dictionary<string, (DateTimeOffset, double)[]>> ReadGroupAsync(CloudWatchTelemetrySource source, ImmutableArray<SeriesDefinition> series, string queryRegion)
    {
        var group = series.Where(s => s.QueryRegion == queryRegion).ToList();
        var queries = group.Select((s, i) => new MetricDataQuery($"m{i}", s.Stat)).ToList();
        var response = await source.GetMetricDataAsync(new GetMetricDataRequest(queryRegion, T0.AddSeconds(10), T0.AddSeconds(190), queries), CancellationToken.None);
        Assert.Equal(queries.Select(q => q.Id), response.Results.Select(r => r.Id));
        return response.Results.ToDictionary(
            r => group[int.Parse(r.Id[1..], System.Globalization.CultureInfo.InvariantCulture)].Key,
            r => r.Timestamps.Zip(r.Values).ToArray());
    }

    private static MetricDatum Datum(string name, string dimension, string value, int second, double v) =>
        new(name, [new MetricDimension(dimension, value)], T0.AddSeconds(second), v);

    private static (DateTimeOffset, double)[] Points(params (int Second, double Value)[] points) => [.. points.Select(p => (T0.AddSeconds(p.Second), p.Value))];
}
