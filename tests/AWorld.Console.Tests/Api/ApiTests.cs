using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Evidence;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class ApiTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Estate_WithoutAToken_Is401()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/estate");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WithWrongPassword_Is401WithAClearMessage()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "noc", password = "guess" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Wrong user name or password.", (await Error(response)));
    }

    [Theory]
    [InlineData("{\"username\":\"noc\"}")]
    [InlineData("not json")]
    [InlineData("{\"username\":\"\",\"password\":\"x\"}")]
    public async Task Token_WithMalformedBody_Is400NamingTheFields(string body)
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsync("/api/auth/token", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (body.StartsWith('{'))
        {
            Assert.Contains("\"username\" and \"password\"", await Error(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Token_AfterFiveWrongPasswords_IsThrottled_EvenWithTheRightOne()
    {
        using var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/auth/token", new { username = "operator", password = "guess" + i });
        }

        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "operator", password = ConsoleFactory.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.StartsWith("Too many failed sign-ins", await Error(response), StringComparison.Ordinal);

        _factory.Time.Advance(TimeSpan.FromMinutes(16));
        var later = await client.PostAsJsonAsync("/api/auth/token", new { username = "operator", password = ConsoleFactory.Password });
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Token_IsAcceptedForTheEstate_WhichHasRegionsAndReplicationPairs()
    {
        using var client = await _factory.ClientForAsync("noc");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(30));

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/estate"));

        var regions = json.RootElement.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["eu-west-1", "eu-central-1", "eu-north-1"], regions.Select(r => r.GetProperty("code").GetString()));
        Assert.All(regions, r => Assert.Equal("Healthy", r.GetProperty("health").GetString()));
        Assert.InRange(regions[0].GetProperty("trafficShare").GetDouble(), 0.3, 0.7);
        Assert.True(regions[0].GetProperty("requestsPerSecond").GetDouble() > 0);
        var pair = json.RootElement.GetProperty("replication").EnumerateArray().First(p => p.GetProperty("from").GetString() == "eu-west-1");
        Assert.InRange(pair.GetProperty("lagMs").GetDouble(), 1, 1000);
    }

    [Fact]
    public async Task Estate_BeforeTheFirstPoll_Is503_AndReadinessFollowsIt()
    {
        using var client = await _factory.ClientForAsync("noc");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/estate")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _factory.CreateClient().GetAsync("/readyz")).StatusCode);
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/estate")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync("/readyz")).StatusCode);
        Assert.Equal("ok", await _factory.CreateClient().GetStringAsync("/healthz"));
    }

    [Theory]
    [InlineData("noc")]
    [InlineData("manager")]
    [InlineData("auditor")]
    public async Task Faults_ForARoleThatMayNotChangeTheSimulation_Are403(string user)
    {
        using var client = await _factory.ClientForAsync(user);

        var response = await client.PostAsJsonAsync("/api/simulation/faults", new { kind = "outage", region = "eu-west-1" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Operator_InjectsAnOutage_TheRegionTurnsUnhealthy_ThenClearsIt()
    {
        using var client = await _factory.ClientForAsync("operator");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(10));

        var response = await client.PostAsJsonAsync("/api/simulation/faults", new { kind = "outage", region = "eu-west-1", durationSeconds = 900 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = created.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("operator", created.RootElement.GetProperty("injectedBy").GetString());

        await _factory.AdvanceAsync(TimeSpan.FromMinutes(2));
        using (var estate = JsonDocument.Parse(await client.GetStringAsync("/api/estate")))
        {
            var west = estate.RootElement.GetProperty("regions").EnumerateArray().First();
            Assert.Equal("Unhealthy", west.GetProperty("health").GetString());
            Assert.True(west.GetProperty("isStale").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/simulation/faults/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/simulation/faults/{id}")).StatusCode);
        var activity = await _factory.Services.GetRequiredService<AuditLog>().RecentAsync(10, "fault");
        Assert.Equal(["fault.clear", "fault.clear", "fault.inject"], activity.Select(a => a.Action));
        Assert.All(activity, a => Assert.Equal(("operator", "Operator"), (a.Actor, a.Role)));
    }

    [Theory]
    [InlineData("{\"kind\":\"meltdown\",\"region\":\"eu-west-1\"}", "'kind' is 'meltdown'")]
    [InlineData("{\"kind\":\"outage\",\"region\":\"mars-1\"}", "region 'mars-1' is not in the estate")]
    [InlineData("{\"kind\":\"outage\",\"region\":\"eu-west-1\",\"durationSeconds\":0}", "'durationSeconds' is 0")]
    [InlineData("{\"kind\":\"partition\",\"region\":\"eu-west-1\"}", "a partition needs two regions")]
    [InlineData("{\"kind\":\"errors\",\"region\":\"eu-west-1\",\"magnitude\":3}", "rate 3 must be above 0 and at most 1")]
    public async Task Faults_WithBadInput_Are400WithAMessageSayingWhatToFix(string body, string expected)
    {
        using var client = await _factory.ClientForAsync("admin");

        var response = await client.PostAsync("/api/simulation/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await Error(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_SpeedCanBeChangedByAnOperator_WithinLimits()
    {
        using var client = await _factory.ClientForAsync("operator");

        var ok = await client.PutAsJsonAsync("/api/simulation/clock", new { speed = 20 });
        var bad = await client.PutAsJsonAsync("/api/simulation/clock", new { speed = -1 });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(20, (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("speed").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'speed' is -1", await Error(bad), StringComparison.Ordinal);
        var clock = _factory.Services.GetRequiredService<AWorld.Core.Engine.VirtualClock>();
        var before = clock.GetUtcNow();
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(20), clock.GetUtcNow() - before);
    }

    [Fact]
    public async Task Pages_WithoutSignIn_RedirectToTheSignInPage()
    {
        using var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/replication");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static async Task<string> Error(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
}
