using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Anomalies;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class AnomaliesApiTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Acknowledge_ByNoc_IsStoredOnce_AndListedWithTheEvent()
    {
        var id = Spike();
        using var noc = await _factory.ClientForAsync("noc");

        var first = await noc.PostAsJsonAsync("/api/anomalies/acknowledgements", new { anomalyId = id, note = "known load test" });
        var second = await noc.PostAsJsonAsync("/api/anomalies/acknowledgements", new { anomalyId = id, note = "again" });
        var list = await noc.GetFromJsonAsync<JsonElement>("/api/anomalies?region=eu-west-1&service=apigateway");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, row.GetProperty("anomaly").GetProperty("id").GetString());
        Assert.Equal("known load test", row.GetProperty("acknowledgement").GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("auditor", "{\"anomalyId\":\"ID\",\"note\":\"seen\"}", HttpStatusCode.Forbidden, "reads them only")]
    [InlineData("noc", "{\"anomalyId\":\"ID\",\"note\":\"  \"}", HttpStatusCode.BadRequest, "Write a note")]
    [InlineData("noc", "{\"anomalyId\":\"eu-west-1/Api5xx@1\",\"note\":\"seen\"}", HttpStatusCode.NotFound, "No anomaly 'eu-west-1/Api5xx@1'")]
    [InlineData("noc", "{\"note\":\"seen\"}", HttpStatusCode.BadRequest, "anomalyId")]
    public async Task Acknowledge_Refusals_SayWhy(string user, string body, HttpStatusCode status, string message)
    {
        var id = Spike();
        using var client = await _factory.ClientForAsync(user);

        var response = await client.PostAsync("/api/anomalies/acknowledgements", new StringContent(body.Replace("ID", id, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithAnUnknownService_IsABadRequestNamingTheChoices()
    {
        using var noc = await _factory.ClientForAsync("noc");

        var response = await noc.GetAsync("/api/anomalies?service=s3");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ApiGateway, Lambda, DynamoDb, MemoryDb, Route53", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string Spike()
    {
        var tracker = _factory.Services.GetRequiredService<AnomalyTracker>();
        var key = MetricCatalog.SeriesKey("eu-west-1", EstateMetric.Api5xx);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 1_200; i++)
        {
            tracker.Observe(key, start.AddSeconds(i), 10 + Math.Sin(i / 15.0));
        }

        tracker.Observe(key, start.AddSeconds(1_200), 900);
        return tracker.All().Single(e => e.SeriesKey == key).Id;
    }
}
