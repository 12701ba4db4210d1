using System.Text.Json;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>
/// The served twin with <c>--cadence cloudwatch</c>, read through the AWS CLI: a standard-resolution minute is absent right
/// after it ends and final three minutes later, with the value a twin of the same seed and start computes here; the
/// canary's 1-second points of the same minute are there at once.
/// </summary>
public sealed class CloudWatchCadenceCliTests(CloudWatchCadenceTwin twin) : IClassFixture<CloudWatchCadenceTwin>
{
    private static readonly MetricStat ApiCount = new("AWS/ApiGateway", "Count", [new MetricDimension("ApiName", MetricCatalog.ApiName)], 60, "Sum");
    private static readonly MetricStat Canary = new(MetricCatalog.CanaryNamespace, "WriteSuccess", [new MetricDimension("Region", "eu-west-1")], 1, "Average");

    [Fact]
    public async Task GetMetricData_AMinuteJustEnded_IsAbsent_AndFinalThreeMinutesLater()
    {
        var clock = await twin.ClockAsync();
        var after = Max(clock.Now, clock.StartTime.AddSeconds(61));
        var end = new DateTimeOffset(after.UtcTicks - (after.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        var minute = end.AddMinutes(-1);
        await twin.WaitForTwinAsync(end);

        var early = await ReadAsync(minute, end);
        var readBy = (await twin.ClockAsync()).Now;

        // CloudWatch shows a standard minute 60 s after its end at the earliest; the twin runs at 5x, so the CLI had 12 s.
        Assert.True(readBy < end.AddSeconds(60), $"The CLI took too long to prove anything: the twin was at {readBy:O}.");
        Assert.Empty(Values(early, "count"));
        Assert.InRange(Values(early, "canary").Length, 40, 60);

        await twin.WaitForTwinAsync(end.AddMinutes(3));
        var late = await ReadAsync(minute, end);

        var local = new EstateTwin(EstateTopology.Default, new SimulationOptions { Seed = clock.Seed, MetricCadence = MetricCadence.CloudWatch }, clock.StartTime);
        local.AdvanceTo(end.AddMinutes(3));
        var expected = await ((ITelemetrySource)local).GetMetricDataAsync(
            new GetMetricDataRequest("eu-west-1", minute, end, [new MetricDataQuery("count", ApiCount)]), default);
        Assert.Equal(expected.Results[0].Values, Values(late, "count"));
        Assert.Single(Values(late, "count"));
        Assert.Equal(minute, Assert.Single(late.GetProperty("MetricDataResults").EnumerateArray()
            .Where(r => r.GetProperty("Id").GetString() == "count")
            .SelectMany(r => r.GetProperty("Timestamps").EnumerateArray().Select(AwsCli.Time))));
    }

    private Task<JsonElement> ReadAsync(DateTimeOffset from, DateTimeOffset to) =>
        AwsCli.JsonAsync(AwsCli.V1, twin, "eu-west-1", "cloudwatch", "get-metric-data", "--scan-by", "TimestampAscending",
            "--metric-data-queries", Queries(("count", ApiCount), ("canary", Canary)), "--start-time", Iso(from), "--end-time", Iso(to));

    private static double[] Values(JsonElement answer, string id) =>
        [.. answer.GetProperty("MetricDataResults").EnumerateArray()
            .Where(r => r.GetProperty("Id").GetString() == id)
            .SelectMany(r => r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()))];

    private static string Queries(params (string Id, MetricStat Stat)[] queries) =>
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

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A twin at 5× real time whose CloudWatch behaves like CloudWatch (<c>--cadence cloudwatch</c>).</summary>
public sealed class CloudWatchCadenceTwin : ServedTwin
{
    protected override double Speed => 5;

    protected override string Cadence => "cloudwatch";
}
