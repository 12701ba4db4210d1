using System.Net;
using System.Text.Json.Nodes;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Telemetry;

namespace AWorld.Aws.Tests.Telemetry;

/// <summary>
/// Paging and result statuses. moto 5.2.1 ignores <c>MaxDatapoints</c> and <c>NextToken</c> and always answers
/// <c>Complete</c> (moto/cloudwatch/models.py <c>get_metric_data</c>), so these run against a scripted CloudWatch whose
/// answers botocore's parser accepts as <c>GetMetricDataOutput</c> (checked here too).
/// </summary>
public sealed class CloudWatchClientTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetMetricData_MorePointsThanMaxDatapoints_FollowsNextToken_AndJoinsThePagesOldestFirst()
    {
        string[] pages =
        [
            Page("t-2", Result("a", "PartialData", (0, 1), (60, 2), (120, 3)), Result("b", "PartialData", (0, 10))),
            Page(null, Result("a", "Complete", (180, 4), (240, 5)), Result("b", "Complete")),
        ];
        await AssertBotocoreParsesAsync(pages);
        var transport = new RecordingHandler(r =>
            RecordingHandler.Answer(HttpStatusCode.OK, Body(r)["NextToken"]?.GetValue<string>() == "t-2" ? pages[1] : pages[0], "application/x-amz-json-1.0"));
        var client = new CloudWatchClient(TestAws.Http(TestAws.Scripted(), transport));

        var results = await client.GetMetricDataAsync("eu-west-1", T0, T0.AddMinutes(5), [Query("a"), Query("b")], maxDatapoints: 3, CancellationToken.None);

        Assert.Equal(["a", "b"], results.Select(r => r.Id));
        Assert.Equal([1, 2, 3, 4, 5], results[0].Values);
        Assert.Equal([0, 60, 120, 180, 240], results[0].Timestamps.Select(t => (t - T0).TotalSeconds));
        Assert.Equal([10], results[1].Values);
        Assert.All(results, r => Assert.Equal(MetricDataStatus.Complete, r.StatusCode));

        // The second page is the same request with the token.
        var requests = transport.Requests.Select(r => Body(r)).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0]["NextToken"]);
        Assert.Equal("t-2", requests[1]["NextToken"]!.GetValue<string>());
        requests[1].AsObject().Remove("NextToken");
        requests[0].AsObject().Remove("NextToken");
        Assert.True(JsonNode.DeepEquals(requests[0], requests[1]));
        Assert.Equal(3, requests[0]["MaxDatapoints"]!.GetValue<int>());
        Assert.Equal("TimestampAscending", requests[0]["ScanBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetMetricData_PagesBeyondMaxPages_ReturnWhatCame_AsPartialData()
    {
        var page = Page("more", Result("a", "PartialData", (0, 1)));
        await AssertBotocoreParsesAsync([page]);
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.OK, page));
        var options = TestAws.Scripted();
        options.MaxPages = 3;
        var client = new CloudWatchClient(TestAws.Http(options, transport));

        var result = Assert.Single(await client.GetMetricDataAsync("eu-west-1", T0, T0.AddMinutes(5), [Query("a")], CancellationToken.None));

        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal(MetricDataStatus.PartialData, result.StatusCode);
        Assert.Equal([1, 1, 1], result.Values);
    }

    [Fact]
    public async Task GetMetricData_StatusCodes_PartialDataForbiddenAndInternalError_ReachTheResult()
    {
        string[] pages =
        [
            Page("t-2", Result("partial", "Complete", (0, 1)), Result("forbidden", "Forbidden"), Result("error", "InternalError", (0, 7))),
            Page(null, Result("partial", "PartialData", (60, 2)), Result("forbidden", "Complete"), Result("error", "Complete", (60, 8))),
        ];
        await AssertBotocoreParsesAsync(pages);
        var transport = new RecordingHandler(r => RecordingHandler.Answer(HttpStatusCode.OK, Body(r)["NextToken"] is null ? pages[0] : pages[1]));
        var client = new CloudWatchClient(TestAws.Http(TestAws.Scripted(), transport));

        var results = await client.GetMetricDataAsync("eu-west-1", T0, T0.AddMinutes(5), [Query("partial"), Query("forbidden"), Query("error")], CancellationToken.None);

        // The last page settles PartialData; a refusal or an error on any page stays.
        Assert.Equal(
            [MetricDataStatus.PartialData, MetricDataStatus.Forbidden, MetricDataStatus.InternalError],
            results.Select(r => r.StatusCode));
        Assert.Equal([7, 8], results[2].Values);
    }

    [Fact]
    public async Task GetMetricData_WindowsAreFlooredToEachQuerysPeriod_OneCallPerPeriod()
    {
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.OK, """{"MetricDataResults":[]}"""));
        var client = new CloudWatchClient(TestAws.Http(TestAws.Scripted(), transport));

        var results = await client.GetMetricDataAsync("eu-west-1", T0.AddSeconds(70), T0.AddSeconds(650),
            [Query("minute", 60), Query("five", 300), Query("hour", 3600)], CancellationToken.None);

        // 60 s: [60, 600); 300 s: [0, 600); an hour: no whole period in the window, so no call and no points.
        var windows = transport.Requests.Select(r => Body(r))
            .Select(b => (b["MetricDataQueries"]![0]!["Id"]!.GetValue<string>(), b["StartTime"]!.GetValue<long>() - T0.ToUnixTimeSeconds(), b["EndTime"]!.GetValue<long>() - T0.ToUnixTimeSeconds()))
            .ToList();
        Assert.Equal([("minute", 60L, 600L), ("five", 0L, 600L)], windows);
        Assert.Equal(["minute", "five", "hour"], results.Select(r => r.Id));
        Assert.All(results, r => Assert.Equal(MetricDataStatus.Complete, r.StatusCode));
    }

    [Fact]
    public async Task GetMetricData_TwoQueriesWithOneId_AreRefusedBeforeAnyCall()
    {
        var transport = new RecordingHandler(_ => throw new InvalidOperationException("no call expected"));
        var client = new CloudWatchClient(TestAws.Http(TestAws.Scripted(), transport));

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetMetricDataAsync("eu-west-1", T0, T0.AddMinutes(5), [Query("a"), Query("a")], CancellationToken.None));
        Assert.Empty(transport.Requests);
    }

    private static MetricDataQuery Query(string id, int period = 60) =>
        new(id, new MetricStat("AWS/ApiGateway", "Count", [new MetricDimension("ApiName", "prod-api")], period, "Sum"));

    private static JsonNode Body(RecordedRequest request) => JsonNode.Parse(request.Body)!;

    private static string Page(string? nextToken, params JsonObject[] results)
    {
        var page = new JsonObject { ["MetricDataResults"] = new JsonArray([.. results]) };
        if (nextToken is not null)
        {
            page["NextToken"] = nextToken;
        }

        return page.ToJsonString();
    }

    private static JsonObject Result(string id, string status, params (int Second, double Value)[] points) => new()
    {
        ["Id"] = id,
        ["Label"] = "Count",
        ["Timestamps"] = new JsonArray([.. points.Select(p => JsonValue.Create(T0.AddSeconds(p.Second).ToUnixTimeSeconds()))]),
        ["Values"] = new JsonArray([.. points.Select(p => JsonValue.Create(p.Value))]),
        ["StatusCode"] = status,
    };

    /// <summary>The scripted answers are GetMetricData answers as botocore reads them (JSON protocol).</summary>
    private static async Task AssertBotocoreParsesAsync(string[] pages)
    {
        var parsed = await Python.RunAsync("""
            import json, sys
            import botocore.session, botocore.parsers
            pages = json.load(sys.stdin)
            shape = botocore.session.get_session().get_service_model('cloudwatch').operation_model('GetMetricData').output_shape
            out = []
            for page in pages:
                r = botocore.parsers.create_parser('json').parse({'status_code': 200, 'headers': {}, 'body': page.encode()}, shape)
                out.append([[m['Id'], m['StatusCode'], len(m['Timestamps']), len(m['Values'])] for m in r['MetricDataResults']])
            print(json.dumps(out))
            """, pages);
        Assert.Equal(pages.Length, parsed.GetArrayLength());
        foreach (var (page, results) in pages.Zip(parsed.EnumerateArray()))
        {
            var expected = JsonNode.Parse(page)!["MetricDataResults"]!.AsArray();
            Assert.Equal(expected.Count, results.GetArrayLength());
        }
    }
}
