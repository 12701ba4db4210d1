using System.Text.Json;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>
/// CloudWatch GetMetricData through the AWS CLI: v1 speaks JSON 1.0, v2 the query protocol; both must read exactly the
/// values a twin of the same seed and start computes in this process (nothing changes the served twin in this class).
/// </summary>
public sealed class CloudWatchCliTests(FastTwin twin) : IClassFixture<FastTwin>
{
    private static readonly MetricStat ApiCount = Stat("AWS/ApiGateway", "Count", "Sum", 60, ("ApiName", MetricCatalog.ApiName));
    private static readonly MetricStat ApiP99 = Stat("AWS/ApiGateway", "Latency", "p99", 60, ("ApiName", MetricCatalog.ApiName));
    private static readonly MetricStat Replication = Stat("AWS/DynamoDB", "ReplicationLatency", "Average", 10, ("TableName", "aworld-players"), ("ReceivingRegion", "eu-central-1"));
    private static readonly MetricStat ClientRequests = Stat(ClientMetrics.Namespace, ClientMetrics.Requests, "Sum", 1, (ClientMetrics.RegionDimension, "eu-west-1"), (ClientMetrics.ClientDimension, "tenant-03"));

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task GetMetricData_ReadsTheTwinsValues_OverTheCliProtocol(string cli)
    {
        var (start, end, local) = await WindowAsync(TimeSpan.FromMinutes(3));
        (string Id, MetricStat Stat)[] queries = [("count", ApiCount), ("p99", ApiP99), ("lag", Replication), ("tenant", ClientRequests)];

        var result = await AwsCli.RunAsync(cli, twin, "eu-west-1", ["cloudwatch", "get-metric-data", "--debug", "--metric-data-queries", Queries(queries),
            "--start-time", Iso(start), "--end-time", Iso(end)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(cli == AwsCli.V1 ? "GraniteServiceVersion20100801.GetMetricData" : "'Action': 'GetMetricData'", result.Stderr, StringComparison.Ordinal);
        var expected = await Expected(local, "eu-west-1", start, end, queries);
        foreach (var (id, _) in queries)
        {
            var (times, values) = Series(result.Json, id);
            Assert.True(values.Length > 0, $"{id} has no values: {result.Stdout}");

            // CloudWatch answers newest first unless asked otherwise; the twin's port oldest first.
            Assert.Equal(expected[id].Values.Reverse(), values);
            Assert.Equal(expected[id].Timestamps.Reverse(), times);
        }
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task GetMetricData_RouteFiftyThreeAndClientSuccess_ReadInUsEast1WithServedHealthCheckIds(string cli)
    {
        var (start, end, local) = await WindowAsync(TimeSpan.FromMinutes(2));
        var healthCheck = twin.Settings.GetProperty("Estate").GetProperty("Regions")[1].GetProperty("HealthCheckId").GetString()!;
        var success = Stat(ClientMetrics.Namespace, ClientMetrics.SuccessRatio, "Average", 30);
        var status = Stat("AWS/Route53", "HealthCheckStatus", "Minimum", 30, ("HealthCheckId", healthCheck));

        var json = await AwsCli.JsonAsync(cli, twin, "us-east-1", "cloudwatch", "get-metric-data", "--scan-by", "TimestampAscending",
            "--metric-data-queries", Queries([("success", success), ("status", status)]), "--start-time", Iso(start), "--end-time", Iso(end));

        var expected = await Expected(local, "us-east-1", start, end,
            [("success", success), ("status", status with { Dimensions = [new MetricDimension("HealthCheckId", EstateTopology.HealthCheckId("eu-central-1"))] })]);
        Assert.Equal(expected["success"].Values, Series(json, "success").Values);
        Assert.Equal(expected["status"].Values, Series(json, "status").Values);
        Assert.All(Series(json, "status").Values, v => Assert.Equal(1, v));
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task GetMetricData_MaxDatapoints_PagesWithNextToken(string cli)
    {
        var (start, _, _) = await WindowAsync(TimeSpan.FromMinutes(1));
        var end = start.AddSeconds(30);
        var queries = Queries([("count", ApiCount with { PeriodSeconds = 1 }), ("tenant", ClientRequests)]);
        string[] call = ["cloudwatch", "get-metric-data", "--metric-data-queries", queries, "--start-time", Iso(start), "--end-time", Iso(end)];

        var whole = await AwsCli.JsonAsync(cli, twin, "eu-west-1", [.. call, "--no-paginate"]);
        var first = await AwsCli.JsonAsync(cli, twin, "eu-west-1", [.. call, "--no-paginate", "--max-datapoints", "20"]);
        var token = first.GetProperty("NextToken").GetString()!;
        var second = await AwsCli.JsonAsync(cli, twin, "eu-west-1", [.. call, "--no-paginate", "--max-datapoints", "20", "--next-token", token]);
        var byCli = await AwsCli.JsonAsync(cli, twin, "eu-west-1", [.. call, "--page-size", "7"]);

        Assert.Equal(30, Series(whole, "count").Values.Length);
        Assert.Equal(30, Series(whole, "tenant").Values.Length);
        Assert.Equal("PartialData", Result(first, "count").GetProperty("StatusCode").GetString());
        Assert.Equal(20, Series(first, "count").Values.Length + Series(first, "tenant").Values.Length);
        Assert.Equal(Series(whole, "count").Values, Series(first, "count").Values.Concat(Series(second, "count").Values));
        Assert.Empty(Series(first, "tenant").Values);
        Assert.Equal(Series(whole, "tenant").Values.Take(10), Series(second, "tenant").Values);
        Assert.True(second.TryGetProperty("NextToken", out _));
        Assert.Equal(Series(whole, "count").Values, Series(byCli, "count").Values);
        Assert.Equal(Series(whole, "tenant").Values, Series(byCli, "tenant").Values);
    }

    /// <summary>
    /// A window of whole minutes that the served twin has simulated, ending a minute or two before its present (well inside
    /// its hour of retention), and a twin of the same seed and start built here, brought as far.
    /// </summary>
    private async Task<(DateTimeOffset From, DateTimeOffset To, EstateTwin Local)> WindowAsync(TimeSpan length)
    {
        var clock = await twin.ClockAsync();
        await twin.WaitForTwinAsync(clock.StartTime + length + TimeSpan.FromMinutes(2));
        var now = (await twin.ClockAsync()).Now;
        var to = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero) - TimeSpan.FromMinutes(1);
        var local = new EstateTwin(EstateTopology.Default, new SimulationOptions { Seed = clock.Seed, MetricCadence = MetricCadence.Immediate }, clock.StartTime);
        local.AdvanceTo(now);
        return (to - length, to, local);
    }

    private static async Task<Dictionary<string, MetricDataResult>> Expected(EstateTwin local, string region, DateTimeOffset start, DateTimeOffset end, (string Id, MetricStat Stat)[] queries)
    {
        var answer = await ((ITelemetrySource)local).GetMetricDataAsync(
            new GetMetricDataRequest(region, start, end, [.. queries.Select(q => new MetricDataQuery(q.Id, q.Stat))]), default);
        return answer.Results.ToDictionary(r => r.Id);
    }

    /// <summary>One query's points over every page the CLI merged (it repeats a result per page).</summary>
    private static (DateTimeOffset[] Timestamps, double[] Values) Series(JsonElement answer, string id)
    {
        var results = answer.GetProperty("MetricDataResults").EnumerateArray().Where(r => r.GetProperty("Id").GetString() == id).ToList();
        Assert.NotEmpty(results);
        return ([.. results.SelectMany(r => r.GetProperty("Timestamps").EnumerateArray().Select(AwsCli.Time))],
            [.. results.SelectMany(r => r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()))]);
    }

    private static JsonElement Result(JsonElement answer, string id) =>
        answer.GetProperty("MetricDataResults").EnumerateArray().First(r => r.GetProperty("Id").GetString() == id);

    private static string Queries((string Id, MetricStat Stat)[] queries) =>
        JsonSerializer.Serialize(queries.Select(q => new
        {
            q.Id,
            MetricStat = new
            {
                Metric = new { q.Stat.Namespace, q.Stat.MetricName, Dimensions = q.Stat.Dimensions.Select(d => new { d.Name, d.Value }) },
                Period = q.Stat.PeriodSeconds,
                q.Stat.Stat,
            },
        }));

    private static MetricStat Stat(string ns, string name, string stat, int period, params (string Name, string Value)[] dimensions) =>
        new(ns, name, [.. dimensions.Select(d => new MetricDimension(d.Name, d.Value))], period, stat);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
