using System.Text.Json;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>FIS, API Gateway usage plans and Lambda concurrency (REST-JSON) through the AWS CLI, acting on the twin's faults, client limits and scale.</summary>
public sealed class CountermeasureCliTests(FastTwin twin) : IClassFixture<FastTwin>
{
    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task FisExperiment_FromATemplate_InjectsTheTwinsFault_AndStops(string cli)
    {
        var (kind, region) = cli == AwsCli.V1 ? ("latency", "eu-west-1") : ("errors", "eu-central-1");
        var templates = twin.AwsSettings.GetProperty("Fis").GetProperty("Templates");
        var template = templates.GetProperty(kind).GetProperty(region).GetString()!;

        var started = (await AwsCli.JsonAsync(cli, twin, region, "fis", "start-experiment", "--experiment-template-id", template)).GetProperty("experiment");
        var id = started.GetProperty("id").GetString()!;
        var listed = await AwsCli.JsonAsync(cli, twin, region, "fis", "list-experiments");
        var running = (await AwsCli.JsonAsync(cli, twin, region, "fis", "get-experiment", "--id", id)).GetProperty("experiment");
        var faults = await twin.GetAsync<JsonElement>("/_twin/faults");
        var stopping = (await AwsCli.JsonAsync(cli, twin, region, "fis", "stop-experiment", "--id", id)).GetProperty("experiment");
        var stopped = (await AwsCli.JsonAsync(cli, twin, region, "fis", "get-experiment", "--id", id)).GetProperty("experiment");
        var faultsAfter = await twin.GetAsync<JsonElement>("/_twin/faults");
        await AwsCli.FailsAsync("ResourceNotFoundException", cli, twin, "eu-north-1", "fis", "start-experiment", "--experiment-template-id", template);

        Assert.StartsWith("EXP", id, StringComparison.Ordinal);
        Assert.Equal(template, started.GetProperty("experimentTemplateId").GetString());
        Assert.Contains(listed.GetProperty("experiments").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal("running", running.GetProperty("state").GetProperty("status").GetString());
        var fault = Assert.Single(faults.EnumerateArray(), f => f.GetProperty("injectedBy").GetString() == "fis:" + id);
        Assert.Equal((kind, region), (fault.GetProperty("kind").GetString(), fault.GetProperty("region").GetString()));
        Assert.Equal("stopping", stopping.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("stopped", stopped.GetProperty("state").GetProperty("status").GetString());
        Assert.DoesNotContain(faultsAfter.EnumerateArray(), f => f.GetProperty("injectedBy").GetString() == "fis:" + id);
        Assert.Equal(7, templates.EnumerateObject().Count());
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task UsagePlanKey_MovedToTheRestrictedPlan_LimitsTheClient_AndMovedBack_RestoresIt(string cli)
    {
        var region = cli == AwsCli.V1 ? "eu-west-1" : "eu-central-1";
        var throttling = twin.AwsSettings.GetProperty("Throttling").GetProperty(region);
        var standard = throttling.GetProperty("DefaultUsagePlanId").GetString()!;
        var restricted = throttling.GetProperty("RestrictedUsagePlanId").GetString()!;

        var plan = await AwsCli.JsonAsync(cli, twin, region, "apigateway", "get-usage-plan", "--usage-plan-id", standard);
        var restrictedPlan = await AwsCli.JsonAsync(cli, twin, region, "apigateway", "get-usage-plan", "--usage-plan-id", restricted);
        var keys = (await AwsCli.JsonAsync(cli, twin, region, "apigateway", "get-usage-plan-keys", "--usage-plan-id", standard)).GetProperty("items").EnumerateArray().ToList();
        var key = keys.Single(k => k.GetProperty("name").GetString() == "tenant-03").GetProperty("id").GetString()!;
        await AwsCli.FailsAsync("ConflictException", cli, twin, region, "apigateway", "create-usage-plan-key", "--usage-plan-id", restricted, "--key-id", key, "--key-type", "API_KEY");
        await AwsCli.JsonAsync(cli, twin, region, "apigateway", "delete-usage-plan-key", "--usage-plan-id", standard, "--key-id", key);
        var moved = await AwsCli.JsonAsync(cli, twin, region, "apigateway", "create-usage-plan-key", "--usage-plan-id", restricted, "--key-id", key, "--key-type", "API_KEY");
        var inRestricted = (await AwsCli.JsonAsync(cli, twin, region, "apigateway", "get-usage-plan-keys", "--usage-plan-id", restricted)).GetProperty("items");
        var inDefault = (await AwsCli.JsonAsync(cli, twin, region, "apigateway", "get-usage-plan-keys", "--usage-plan-id", standard)).GetProperty("items");
        var limited = Client(await twin.GetAsync<JsonElement>($"/_twin/clients/{region}"), "tenant-03");
        await AwsCli.JsonAsync(cli, twin, region, "apigateway", "delete-usage-plan-key", "--usage-plan-id", restricted, "--key-id", key);
        await AwsCli.JsonAsync(cli, twin, region, "apigateway", "create-usage-plan-key", "--usage-plan-id", standard, "--key-id", key, "--key-type", "API_KEY");
        var restored = Client(await twin.GetAsync<JsonElement>($"/_twin/clients/{region}"), "tenant-03");

        Assert.Equal(400, plan.GetProperty("throttle").GetProperty("rateLimit").GetDouble());
        Assert.Equal(100, restrictedPlan.GetProperty("throttle").GetProperty("rateLimit").GetDouble());
        Assert.Equal(throttling.GetProperty("RestApiId").GetString(), plan.GetProperty("apiStages")[0].GetProperty("apiId").GetString());
        Assert.Equal(40, keys.Count);
        Assert.Equal("tenant-03", moved.GetProperty("name").GetString());
        Assert.Equal([key], inRestricted.EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        Assert.Equal(39, inDefault.GetArrayLength());
        Assert.Equal((true, 100.0), (limited.GetProperty("reduced").GetBoolean(), limited.GetProperty("limitRequestsPerSecond").GetDouble()));
        Assert.Equal((false, 400.0), (restored.GetProperty("reduced").GetBoolean(), restored.GetProperty("limitRequestsPerSecond").GetDouble()));
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task FunctionConcurrency_SetsTheRegionsScale(string cli)
    {
        var region = cli == AwsCli.V1 ? "eu-west-1" : "eu-central-1";
        var scaling = twin.AwsSettings.GetProperty("Scaling").GetProperty(region);
        var function = scaling.GetProperty("Functions")[0].GetString()!;
        var baseline = scaling.GetProperty("BaselineConcurrency").GetInt32();

        var before = await AwsCli.JsonAsync(cli, twin, region, "lambda", "get-function-concurrency", "--function-name", function);
        var put = await AwsCli.JsonAsync(cli, twin, region, "lambda", "put-function-concurrency", "--function-name", function, "--reserved-concurrent-executions", (baseline * 3 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var after = await AwsCli.JsonAsync(cli, twin, region, "lambda", "get-function-concurrency", "--function-name", $"arn:aws:lambda:{region}:123456789012:function:{function}");
        await AwsCli.JsonAsync(cli, twin, region, "lambda", "put-function-concurrency", "--function-name", function, "--reserved-concurrent-executions", baseline.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AwsCli.FailsAsync("ResourceNotFoundException", cli, twin, region, "lambda", "get-function-concurrency", "--function-name", "no-such-function");

        Assert.Equal(baseline, before.GetProperty("ReservedConcurrentExecutions").GetInt32());
        Assert.Equal(baseline * 3 / 2, put.GetProperty("ReservedConcurrentExecutions").GetInt32());
        Assert.Equal(baseline * 3 / 2, after.GetProperty("ReservedConcurrentExecutions").GetInt32());
    }

    private static JsonElement Client(JsonElement clients, string name) =>
        clients.EnumerateArray().Single(c => c.GetProperty("client").GetString() == name);
}
