using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class OperationsApiTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task GuardedFailover_ThroughTheApi_RequestApproveExecute()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(1));

        var requested = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "drill" });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var id = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var selfApproval = await op.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password });
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);

        var wrongPassword = await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = "nope" });
        Assert.Equal(HttpStatusCode.Forbidden, wrongPassword.StatusCode);
        Assert.Contains("password did not match", await Error(wrongPassword), StringComparison.Ordinal);

        var approved = await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        await _factory.AdvanceAsync(TimeSpan.FromMinutes(8));
        var final = await op.GetFromJsonAsync<JsonElement>($"/api/operations/{id}");
        Assert.Equal("Completed", final.GetProperty("state").GetString());
        Assert.Equal("manager", final.GetProperty("approvedBy").GetString());
    }

    [Fact]
    public async Task FiftyConcurrentApprovals_ThroughTheApi_ApproveOnce_AndExecuteOnce()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        var requested = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "drill" });
        var id = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password })));
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(8));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var final = await op.GetFromJsonAsync<JsonElement>($"/api/operations/{id}");
        Assert.Equal("Completed", final.GetProperty("state").GetString());
        Assert.Single(final.GetProperty("journal").EnumerateArray(), j => j.GetProperty("index").GetInt32() == 0 && j.GetProperty("status").GetString() == "Succeeded");
    }

    [Fact]
    public async Task Request_ByAViewer_Is403_AndMalformedRequestsAre400()
    {
        using var noc = await _factory.ClientForAsync("noc");
        using var op = await _factory.ClientForAsync("operator");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Forbidden, (await noc.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "x" })).StatusCode);
        var badKind = await op.PostAsJsonAsync("/api/operations", new { kind = "teleport", from = "eu-west-1", reason = "x" });
        var noReason = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1" });
        var badRegion = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "mars-1", reason = "x" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badKind.StatusCode, noReason.StatusCode, badRegion.StatusCode));
        Assert.Contains("'kind' is 'teleport'", await Error(badKind), StringComparison.Ordinal);
        Assert.Contains("'reason' is required", await Error(noReason), StringComparison.Ordinal);
        Assert.Contains("'mars-1', which is not a region", await Error(badRegion), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_RefusedByASafetyRule_Is409WithTheChecks()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var admin = await _factory.ClientForAsync("admin");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        var first = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "drill" });
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password })).StatusCode);

        var second = await admin.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-central-1", reason = "another" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("[one-operation-at-a-time]", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("rule").GetString() == "one-operation-at-a-time");
    }

    [Fact]
    public async Task UnknownIds_Are404_AndDecisionsOnTheWrongState_Are409()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        var requested = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "drill" });
        var id = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/operations/{id}/reject", new { reason = "not today" })).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/operations/op-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PostAsJsonAsync("/api/operations/op-nope/reject", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PostAsJsonAsync("/api/operations/op-nope/approve", new { password = ConsoleFactory.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsJsonAsync($"/api/operations/{id}/reject", new { reason = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/api/operations/{id}/adopt", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync($"/api/operations/{id}/reject", new { reason = "mine" })).StatusCode);
    }

    [Fact]
    public async Task Approve_AfterTooManyWrongPasswords_Is429_WithRetryAfter()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        var requested = await op.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "drill" });
        var id = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = "guess" + i })).StatusCode);
        }

        var throttled = await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = ConsoleFactory.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        Assert.StartsWith("Too many failed sign-ins", await Error(throttled), StringComparison.Ordinal);
        Assert.Equal("PendingApproval", (await op.GetFromJsonAsync<JsonElement>($"/api/operations/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Override_IsStampedOnTheEstateClock_WhichRunsAheadOfTheWallClock()
    {
        _factory.Settings["Simulation:Speed"] = "60";
        using var admin = await _factory.ClientForAsync("admin");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(30));
        var estateNow = _factory.Services.GetRequiredService<VirtualClock>().GetUtcNow();

        var response = await admin.PostAsJsonAsync("/api/operations", new
        {
            kind = "failover", from = "eu-west-1", reason = "drill", overrides = new[] { new { rule = "cooldown", reason = "the last move was a drill" } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stamped = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("overrides").EnumerateArray());
        Assert.Equal("admin", stamped.GetProperty("by").GetString());
        Assert.Equal(estateNow, stamped.GetProperty("at").GetDateTimeOffset());
        Assert.True(estateNow - _factory.Time.GetUtcNow() > TimeSpan.FromMinutes(25), "the estate clock should run ahead of the wall clock");
    }

    [Fact]
    public async Task Restore_ThenCutover_EachWithItsOwnApproval()
    {
        using var op = await _factory.ClientForAsync("operator");
        using var manager = await _factory.ClientForAsync("manager");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(2));
        var at = _factory.Time.GetUtcNow().AddHours(-2);

        var tooOld = await op.PostAsJsonAsync("/api/operations", new { kind = "restore", from = "eu-west-1", table = "aworld-sessions", pointInTime = at.AddDays(-40), reason = "bad deploy" });
        Assert.Equal(HttpStatusCode.Conflict, tooOld.StatusCode);
        var refusal = await tooOld.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("outside the restorable window", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(refusal.GetProperty("checks").EnumerateArray(), c => c.GetProperty("rule").GetString() == "restore-within-pitr-window" && !c.GetProperty("passed").GetBoolean());

        var restore = await (await op.PostAsJsonAsync("/api/operations", new { kind = "restore", from = "eu-west-1", table = "aworld-sessions", pointInTime = at, reason = "bad deploy" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var restoreId = restore.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/operations/{restoreId}/approve", new { password = ConsoleFactory.Password })).StatusCode);
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(16));
        var restored = await op.GetFromJsonAsync<JsonElement>($"/api/operations/{restoreId}");
        Assert.Equal("Completed", restored.GetProperty("state").GetString());
        var target = restored.GetProperty("plan").GetProperty("restoreTarget").GetString()!;

        var cutover = await (await op.PostAsJsonAsync("/api/operations", new { kind = "cutover", from = "eu-west-1", table = "aworld-sessions", restoredTable = target, reason = "use the clean copy" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var cutoverId = cutover.GetProperty("id").GetString()!;
        Assert.Equal("PendingApproval", cutover.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/operations/{cutoverId}/approve", new { password = ConsoleFactory.Password })).StatusCode);
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(10));

        var done = await op.GetFromJsonAsync<JsonElement>($"/api/operations/{cutoverId}");
        Assert.Equal("Completed", done.GetProperty("state").GetString());
        Assert.Contains($"switched from aworld-sessions to {target}", done.GetProperty("journal").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_WithoutAToken_Are401()
    {
        using var client = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/operations")).StatusCode);
    }

    private static async Task<string> Error(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
}
