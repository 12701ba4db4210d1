using System.Text.Json.Nodes;
using AWorld.Aws.Countermeasures;
using AWorld.Aws.Tests.Shared;

namespace AWorld.Aws.Tests.Countermeasures;

/// <summary>
/// Our clients against botocore (boto3 1.43), call for call: both send to one capture server that answers with AWS's
/// documented responses (shapes of the service models apigateway 2015-07-09, lambda 2015-03-31, fis 2020-12-01);
/// their requests must agree in method, encoded path, query, Content-Type, Accept, SigV4 scope and JSON body, and what
/// we parse from each answer must be what botocore parses.
/// </summary>
public sealed class BotocoreWireFormatTests
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task ApiGateway_UsagePlansKeysAndApiKeys_AsBotocoreSendsAndParsesThem()
    {
        await using var server = new CaptureServer(ApiGatewayResponse);

        var boto = await Boto3Client.CallAsync(server.Endpoint, "apigateway", Region,
            ("get_usage_plan", new JsonObject { ["usagePlanId"] = "plan1" }, false),
            ("get_usage_plan_keys", new JsonObject { ["usagePlanId"] = "plan1", ["nameQuery"] = "tenant", ["PaginationConfig"] = new JsonObject { ["PageSize"] = 500 } }, true),
            ("get_api_keys", new JsonObject { ["nameQuery"] = "tenant 01", ["PaginationConfig"] = new JsonObject { ["PageSize"] = 500 } }, true),
            ("create_usage_plan_key", new JsonObject { ["usagePlanId"] = "plan2", ["keyId"] = "key1", ["keyType"] = "API_KEY" }, false),
            ("delete_usage_plan_key", new JsonObject { ["usagePlanId"] = "plan1", ["keyId"] = "key1" }, false));
        var theirs = server.Requests;
        server.Clear();

        var client = new ApiGatewayClient(TestAws.Http(TestAws.OptionsFor(server.Endpoint)));
        var plan = await client.GetUsagePlanAsync(Region, "plan1", default);
        var planKeys = await client.GetUsagePlanKeysAsync(Region, "plan1", "tenant", default);
        var apiKeys = await client.GetApiKeysAsync(Region, "tenant 01", default);
        var created = await client.CreateUsagePlanKeyAsync(Region, "plan2", "key1", default);
        await client.DeleteUsagePlanKeyAsync(Region, "plan1", "key1", default);

        AssertSameRequests(theirs, server.Requests, "apigateway");
        Assert.Equal((string?)boto[0]!["id"], plan.Id);
        Assert.Equal((double)boto[0]!["throttle"]!["rateLimit"]!, plan.Throttle!.RateLimit);
        Assert.Equal((int)boto[0]!["throttle"]!["burstLimit"]!, plan.Throttle.BurstLimit);
        Assert.Equal(boto[0]!["apiStages"]!.AsArray().Select(s => $"{s!["apiId"]}:{s["stage"]}"), plan.ApiStages!.Select(s => $"{s.ApiId}:{s.Stage}"));
        Assert.Equal(Items(boto[1]!).Select(k => $"{k["id"]} {k["type"]} {k["name"]}"), planKeys.Select(k => $"{k.Id} {k.Type} {k.Name}"));
        Assert.Equal(Items(boto[2]!).Select(k => $"{k["id"]} {k["name"]} {k["enabled"]}"), apiKeys.Select(k => $"{k.Id} {k.Name} {k.Enabled.ToString().ToLowerInvariant()}"));
        Assert.Equal($"{boto[3]!["id"]} {boto[3]!["type"]} {boto[3]!["name"]}", $"{created.Id} {created.Type} {created.Name}");
    }

    [Fact]
    public async Task Lambda_FunctionConcurrency_AsBotocoreSendsAndParsesIt()
    {
        const string arn = "arn:aws:lambda:eu-west-1:123456789012:function:aworld-api-handler";
        await using var server = new CaptureServer(r => r.Method == "DELETE" ? new CannedResponse(204, "") : new CannedResponse(200, """{"ReservedConcurrentExecutions":150}"""));

        var boto = await Boto3Client.CallAsync(server.Endpoint, "lambda", Region,
            ("put_function_concurrency", new JsonObject { ["FunctionName"] = arn, ["ReservedConcurrentExecutions"] = 150 }, false),
            ("get_function_concurrency", new JsonObject { ["FunctionName"] = "aworld-api-handler" }, false),
            ("delete_function_concurrency", new JsonObject { ["FunctionName"] = "aworld-api-handler" }, false));
        var theirs = server.Requests;
        server.Clear();

        var lambda = new LambdaClient(TestAws.Http(TestAws.OptionsFor(server.Endpoint)));
        var put = await lambda.PutFunctionConcurrencyAsync(Region, arn, 150, default);
        var get = await lambda.GetFunctionConcurrencyAsync(Region, "aworld-api-handler", default);
        await lambda.DeleteFunctionConcurrencyAsync(Region, "aworld-api-handler", default);

        AssertSameRequests(theirs, server.Requests, "lambda");
        Assert.Equal("/2017-10-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aaworld-api-handler/concurrency", server.Requests[0].RawPath);
        Assert.Equal(((int?)boto[0]!["ReservedConcurrentExecutions"], (int?)boto[1]!["ReservedConcurrentExecutions"]), (put, get));
    }

    [Fact]
    public async Task Fis_Experiments_AsBotocoreSendsAndParsesThem()
    {
        await using var server = new CaptureServer(FisResponse);
        var tags = new JsonObject { ["aworld:injected-by"] = "alice", ["aworld:fault"] = "outage", ["aworld:region"] = Region };

        var boto = await Boto3Client.CallAsync(server.Endpoint, "fis", Region,
            ("start_experiment", new JsonObject { ["clientToken"] = "0f8fad5bd9cb469fa16570867728950e", ["experimentTemplateId"] = "EXTout1", ["tags"] = tags.DeepClone() }, false),
            ("stop_experiment", new JsonObject { ["id"] = "EXP1" }, false),
            ("list_experiments", new JsonObject { ["PaginationConfig"] = new JsonObject { ["PageSize"] = 100 } }, true),
            ("get_experiment", new JsonObject { ["id"] = "EXP1" }, false));
        var theirs = server.Requests;
        server.Clear();

        var fis = new FisClient(TestAws.Http(TestAws.OptionsFor(server.Endpoint)));
        var started = await fis.StartExperimentAsync(Region, "EXTout1", "0f8fad5bd9cb469fa16570867728950e",
            tags.ToDictionary(t => t.Key, t => (string)t.Value!), default);
        var stopped = await fis.StopExperimentAsync(Region, "EXP1", default);
        var listed = await fis.ListExperimentsAsync(Region, default);
        var got = await fis.GetExperimentAsync(Region, "EXP1", default);

        AssertSameRequests(theirs, server.Requests, "fis");
        AssertSameExperiment(boto[0]!["experiment"]!, started);
        AssertSameExperiment(boto[1]!["experiment"]!, stopped);
        var summaries = boto[2]!.AsArray().SelectMany(page => page!["experiments"]!.AsArray()).ToList();
        Assert.Equal(summaries.Count, listed.Count);
        foreach (var (theirsParsed, ours) in summaries.Zip(listed))
        {
            AssertSameExperiment(theirsParsed!, ours);
        }

        AssertSameExperiment(boto[3]!["experiment"]!, got);
        Assert.Equal(("completed", true), (got.Status, got.IsOver));
    }

    private static void AssertSameRequests(IReadOnlyList<CapturedRequest> botocore, IReadOnlyList<CapturedRequest> ours, string signingName)
    {
        Assert.Equal(botocore.Count, ours.Count);
        foreach (var (b, o) in botocore.Zip(ours))
        {
            var what = $"botocore: {b}{Environment.NewLine}ours:     {o}";
            Assert.True(b.Method == o.Method && b.RawPath == o.RawPath, what);
            Assert.True(b.QueryPairs.SequenceEqual(o.QueryPairs), what);
            Assert.True(b.Header("Content-Type") == o.Header("Content-Type"), $"Content-Type {b.Header("Content-Type")} vs {o.Header("Content-Type")}: {what}");
            Assert.True(b.Header("Accept") == o.Header("Accept"), $"Accept {b.Header("Accept")} vs {o.Header("Accept")}: {what}");
            Assert.Equal($"{Region}/{signingName}", b.SigningScope);
            Assert.Equal(b.SigningScope, o.SigningScope);
            Assert.Null(o.Header("X-Amz-Target"));
            Assert.True(b.Body.Length == 0 ? o.Body.Length == 0 : JsonNode.DeepEquals(JsonNode.Parse(b.Body), JsonNode.Parse(o.Body)), what);
        }
    }

    private static void AssertSameExperiment(JsonNode botocore, FisExperiment ours)
    {
        Assert.Equal((string?)botocore["id"], ours.Id);
        Assert.Equal((string?)botocore["arn"], ours.Arn);
        Assert.Equal((string?)botocore["experimentTemplateId"], ours.ExperimentTemplateId);
        Assert.Equal((string?)botocore["state"]?["status"], ours.State?.Status);
        Assert.Equal((string?)botocore["state"]?["reason"], ours.State?.Reason);
        Assert.Equal(Time(botocore["creationTime"]), ours.CreationTime);
        Assert.Equal(Time(botocore["startTime"]), ours.StartTime);
        Assert.Equal(Time(botocore["endTime"]), ours.EndTime);
        Assert.Equal(
            (botocore["tags"]?.AsObject().Select(t => $"{t.Key}={t.Value}") ?? []).Order(StringComparer.Ordinal),
            (ours.Tags?.Select(t => $"{t.Key}={t.Value}") ?? []).Order(StringComparer.Ordinal));
    }

    private static DateTimeOffset? Time(JsonNode? iso) => iso is null ? null : DateTimeOffset.Parse((string)iso!, System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<JsonNode> Items(JsonNode pages) => pages.AsArray().SelectMany(p => p!["items"]?.AsArray() ?? []).OfType<JsonNode>();

    /// <summary>API Gateway's answers: a usage plan, two pages of plan keys (the position needs encoding), a page of API keys.</summary>
    private static CannedResponse ApiGatewayResponse(CapturedRequest r) => (r.Method, r.RawPath) switch
    {
        ("GET", "/usageplans/plan1") => new(200, """
            {"id":"plan1","name":"default","description":"every client","apiStages":[{"apiId":"a1b2c3","stage":"prod","throttle":{"/pets/GET":{"burstLimit":50,"rateLimit":25.0}}}],
             "throttle":{"burstLimit":200,"rateLimit":100.5},"quota":{"limit":1000000,"offset":0,"period":"MONTH"},"productCode":null,"tags":{"team":"api"}}
            """),
        ("GET", "/usageplans/plan1/keys") when !r.RawQuery.Contains("position", StringComparison.Ordinal) => new(200, """
            {"position":"MQ+Lz0=/x y","item":[{"id":"key1","type":"API_KEY","value":"secret1","name":"tenant-01"},{"id":"key2","type":"API_KEY","value":"secret2","name":"tenant-02"}]}
            """),
        ("GET", "/usageplans/plan1/keys") => new(200, """{"item":[{"id":"key3","type":"API_KEY","value":"secret3","name":"tenant-03"}]}"""),
        ("GET", "/apikeys") => new(200, """
            {"item":[{"id":"key1","name":"tenant 01","customerId":"c1","description":"","enabled":true,"createdDate":1772452800,"lastUpdatedDate":1772452800.5,"stageKeys":["a1b2c3/prod"],"tags":{}}],"warnings":[]}
            """),
        ("POST", "/usageplans/plan2/keys") => new(201, """{"id":"key1","type":"API_KEY","name":"tenant-01"}"""),
        ("DELETE", "/usageplans/plan1/keys/key1") => new(202, ""),
        _ => CannedResponse.Error(404, "NotFoundException", $"No canned answer for {r}"),
    };

    /// <summary>FIS's answers, with every member of Experiment; timestamps as epoch seconds (AWS's form) and, on the second page, ISO 8601.</summary>
    private static CannedResponse FisResponse(CapturedRequest r) => (r.Method, r.RawPath) switch
    {
        ("POST", "/experiments") => new(200, $$"""{"experiment":{{Experiment("EXP1", "initiating", start: null, end: null)}}}"""),
        ("DELETE", "/experiments/EXP1") => new(200, $$"""{"experiment":{{Experiment("EXP1", "stopping", "1772452801.5", null)}}}"""),
        ("GET", "/experiments/EXP1") => new(200, $$"""{"experiment":{{Experiment("EXP1", "completed", "1772452801.5", "1772453401.25")}}}"""),
        ("GET", "/experiments") when !r.RawQuery.Contains("nextToken", StringComparison.Ordinal) => new(200, """
            {"experiments":[
              {"id":"EXP1","arn":"arn:aws:fis:eu-west-1:123456789012:experiment/EXP1","experimentTemplateId":"EXTout1","state":{"status":"completed","reason":"Experiment completed."},
               "creationTime":1772452800.123,"tags":{"aworld:fault":"outage"},"experimentOptions":{"accountTargeting":"single-account","emptyTargetResolutionMode":"fail","actionsMode":"run-all"}}],
             "nextToken":"n+t/2="}
            """),
        ("GET", "/experiments") => new(200, """
            {"experiments":[
              {"id":"EXP2","arn":"arn:aws:fis:eu-west-1:123456789012:experiment/EXP2","experimentTemplateId":"EXTlat2","state":{"status":"running","reason":"Experiment is running."},
               "creationTime":"2026-03-02T12:10:00.250Z","tags":{}}]}
            """),
        _ => CannedResponse.Error(404, "ResourceNotFoundException", $"No canned answer for {r}"),
    };

    private static string Experiment(string id, string status, string? start, string? end)
    {
        var times = (start is null ? "" : ",\"startTime\":" + start) + (end is null ? "" : ",\"endTime\":" + end);
        return """
        {"id":"@id","arn":"arn:aws:fis:eu-west-1:123456789012:experiment/@id","experimentTemplateId":"EXTout1","roleArn":"arn:aws:iam::123456789012:role/fis",
         "state":{"status":"@status","reason":"Experiment is @status.","error":{"accountId":"123456789012","code":"none","location":"none"}},
         "targets":{"Instances":{"resourceType":"aws:ec2:instance","resourceArns":["arn:aws:ec2:eu-west-1:123456789012:instance/i-1"],"resourceTags":{"aworld":"api"},
                    "filters":[{"path":"State.Name","values":["running"]}],"selectionMode":"ALL","parameters":{}}},
         "actions":{"stop":{"actionId":"aws:ec2:stop-instances","description":"outage","parameters":{"startInstancesAfterDuration":"PT20M"},"targets":{"Instances":"Instances"},
                    "startAfter":[],"state":{"status":"pending","reason":"Initial state"}}},
         "stopConditions":[{"source":"aws:cloudwatch:alarm","value":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:stop"}],
         "creationTime":1772452800.123@times,
         "tags":{"aworld:injected-by":"alice","aworld:fault":"outage","aworld:region":"eu-west-1"},
         "logConfiguration":{"cloudWatchLogsConfiguration":{"logGroupArn":"arn:aws:logs:eu-west-1:123456789012:log-group:fis"},"logSchemaVersion":2},
         "experimentOptions":{"accountTargeting":"single-account","emptyTargetResolutionMode":"fail","actionsMode":"run-all"},
         "targetAccountConfigurationsCount":0,
         "experimentReportConfiguration":{"outputs":{"s3Configuration":{"bucketName":"reports","prefix":"fis"}},"dataSources":{"cloudWatchDashboards":[]},"preExperimentDuration":"PT5M","postExperimentDuration":"PT5M"},
         "experimentReport":{"state":{"status":"pending","reason":"","error":{"code":"none"}},"s3Reports":[]}}
        """.Replace("@id", id, StringComparison.Ordinal).Replace("@status", status, StringComparison.Ordinal).Replace("@times", times, StringComparison.Ordinal);
    }
}
