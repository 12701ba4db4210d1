using System.Net;
using System.Net.Http.Json;
using AWorld.Console.Storage;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class AuditApiTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Verify_AfterSignInsAndAFaultInjection_IsVerified()
    {
        using var operatorClient = await _factory.ClientForAsync("operator");
        var injected = await operatorClient.PostAsJsonAsync("/api/simulation/faults", new { kind = "outage", region = "eu-west-1" });
        Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        using var anonymous = _factory.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "noc", password = "guess" });
        using var auditor = await _factory.ClientForAsync("auditor");

        var response = await auditor.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<AuditVerification>())!;
        Assert.Equal((true, 4L, null, null), (result.Verified, result.EntriesChecked, result.FirstBadSequence, result.Problem));
        Assert.Matches("^[0-9a-f]{64}$", result.HeadHash);
        var recent = await _factory.Services.GetRequiredService<AuditLog>().RecentAsync(10);
        Assert.Equal(
            [("auditor", "sign-in", "succeeded"), ("noc", "sign-in", "failed"), ("operator", "fault.inject", "succeeded"), ("operator", "sign-in", "succeeded")],
            recent.Select(e => (e.Actor, e.Action, e.Outcome)));
        Assert.Equal(recent[0].Hash, result.HeadHash);
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("admin")]
    public async Task Verify_ForAuditorsAndAdmins_Is200(string user)
    {
        using var client = await _factory.ClientForAsync(user);

        var response = await client.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("noc")]
    [InlineData("operator")]
    public async Task Verify_ForOtherRoles_Is403(string user)
    {
        using var client = await _factory.ClientForAsync(user);

        var response = await client.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Verify_AfterARowIsChangedInTheDatabase_NamesThatRow()
    {
        using var operatorClient = await _factory.ClientForAsync("operator");
        await operatorClient.PostAsJsonAsync("/api/simulation/faults", new { kind = "outage", region = "eu-west-1" });
        using var auditor = await _factory.ClientForAsync("auditor");
        var contexts = _factory.Services.GetRequiredService<IDbContextFactory<ConsoleDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET Outcome = 'failed' WHERE Sequence = {2}"));
        }

        var response = await auditor.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<AuditVerification>())!;
        Assert.Equal((false, 1L, 2L), (result.Verified, result.EntriesChecked, result.FirstBadSequence));
        Assert.Equal("entry 2: its hash does not match its content (altered?)", result.Problem);
    }

    [Fact]
    public async Task Store_RefusesAnEntryThatWouldLeaveAGapOrOverwriteOne()
    {
        using var client = await _factory.ClientForAsync("noc");
        var store = _factory.Services.GetRequiredService<IAuditStore>();
        var last = (await store.LastAsync())!;

        await Assert.ThrowsAsync<AuditSequenceException>(() => store.AppendAsync(last with { Sequence = last.Sequence + 2 }));
        await Assert.ThrowsAsync<AuditSequenceException>(() => store.AppendAsync(last));
        Assert.Equal([last], await store.ReadAsync(1, 10));
    }
}
