using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary><c>/_twin/faults</c> takes and answers the console's fault bodies; a region it takes down answers 503 over every protocol, as the twin's ports throw.</summary>
public sealed class TwinFaultsTests(FastTwin twin) : IClassFixture<FastTwin>
{
    [Fact]
    public async Task TwinFaults_InjectListAndClear_WithTheConsolesBodiesAndAnswers()
    {
        using var injected = await twin.Http.PostAsJsonAsync(new Uri(twin.Endpoint, "/_twin/faults"),
            new { kind = "partition", region = "eu-west-1", peerRegion = "eu-central-1", durationSeconds = 600 });
        var fault = await injected.Content.ReadFromJsonAsync<JsonElement>();
        var id = fault.GetProperty("id").GetString()!;
        var listed = await twin.GetAsync<JsonElement>("/_twin/faults");
        using var cleared = await twin.Http.DeleteAsync(new Uri(twin.Endpoint, $"/_twin/faults/{id}"));
        using var again = await twin.Http.DeleteAsync(new Uri(twin.Endpoint, $"/_twin/faults/{id}"));
        using var badKind = await twin.Http.PostAsJsonAsync(new Uri(twin.Endpoint, "/_twin/faults"), new { kind = "meteor", region = "eu-west-1" });
        using var badRegion = await twin.Http.PostAsJsonAsync(new Uri(twin.Endpoint, "/_twin/faults"), new { kind = "outage", region = "mars-1" });

        Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        Assert.Equal($"/_twin/faults/{id}", injected.Headers.Location?.ToString());
        Assert.Equal(("partition", "eu-west-1", "eu-central-1", "twin-serve"),
            (fault.GetProperty("kind").GetString(), fault.GetProperty("region").GetString(), fault.GetProperty("peerRegion").GetString(), fault.GetProperty("injectedBy").GetString()));
        Assert.Equal(TimeSpan.FromMinutes(10), fault.GetProperty("endsAt").GetDateTimeOffset() - fault.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Contains(listed.EnumerateArray(), f => f.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("use one of outage, partition", (await badKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRegion.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task RegionDown_AnswersServiceUnavailable_OverEveryRegionalProtocol(string cli)
    {
        using var injected = await twin.Http.PostAsJsonAsync(new Uri(twin.Endpoint, "/_twin/faults"), new { kind = "outage", region = "eu-north-1", durationSeconds = 3600 });
        var fault = await injected.Content.ReadFromJsonAsync<JsonElement>();
        await twin.WaitForTwinAsync(fault.GetProperty("startsAt").GetDateTimeOffset().AddSeconds(2));
        var now = (await twin.ClockAsync()).Now;
        var plan = twin.AwsSettings.GetProperty("Throttling").GetProperty("eu-north-1").GetProperty("DefaultUsagePlanId").GetString()!;

        var metrics = await AwsCli.FailsAsync("ServiceUnavailable", cli, twin, "eu-north-1", "cloudwatch", "get-metric-data",
            "--metric-data-queries", """[{"Id":"m","MetricStat":{"Metric":{"Namespace":"AWS/ApiGateway","MetricName":"Count","Dimensions":[{"Name":"ApiName","Value":"aworld-api"}]},"Period":60,"Stat":"Sum"}}]""",
            "--start-time", now.AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture), "--end-time", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await AwsCli.FailsAsync("ServiceUnavailable", cli, twin, "eu-north-1", "dynamodb", "describe-table", "--table-name", "aworld-players");
        await AwsCli.FailsAsync("ServiceUnavailable", cli, twin, "eu-north-1", "dynamodb", "get-item", "--table-name", "aworld-players", "--key", """{"pk":{"S":"x"}}""");
        await AwsCli.FailsAsync("ServiceUnavailableException", cli, twin, "eu-north-1", "apigateway", "get-usage-plan", "--usage-plan-id", plan);
        await AwsCli.FailsAsync("ServiceUnavailable", cli, twin, "eu-north-1", "lambda", "get-function-concurrency", "--function-name", "aworld-api-handler");
        var elsewhere = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "dynamodb", "describe-table", "--table-name", "aworld-players");
        using var cleared = await twin.Http.DeleteAsync(new Uri(twin.Endpoint, $"/_twin/faults/{fault.GetProperty("id").GetString()}"));

        Assert.Contains("does not answer", metrics.Stderr, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", elsewhere.GetProperty("Table").GetProperty("TableStatus").GetString());
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
    }
}
