using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Console.Drills;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Evidence;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class DrillsApiTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task FullSpeedDrill_ByOperator_IsStored_SignedOffByManager_AndItsPacksVerifyAsAChain()
    {
        using var op = await _factory.ClientForAsync("operator");
        var run = await op.PostAsJsonAsync("/api/drills", new { scenario = "region-outage", region = "eu-west-1", mode = "full-speed", seed = 3 });
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var id = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var history = await op.GetFromJsonAsync<JsonElement>("/api/drills");
        var row = Assert.Single(history.EnumerateArray());
        Assert.Equal((id, "Completed", true), (row.GetProperty("id").GetString(), row.GetProperty("state").GetString(), row.GetProperty("passed").GetBoolean()));
        Assert.InRange(row.GetProperty("rtoSeconds").GetDouble(), 60, 900);
        var firstManifest = row.GetProperty("manifestSha256").GetString();

        using var manager = await _factory.ClientForAsync("manager");
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsync($"/api/drills/{id}/sign-off", null)).StatusCode);
        // Signed off already: a conflict with the drill's state, not bad input.
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsync($"/api/drills/{id}/sign-off", null)).StatusCode);
        var report = await manager.GetFromJsonAsync<JsonElement>($"/api/drills/{id}");
        Assert.Equal("manager", report.GetProperty("signOff").GetProperty("by").GetString());

        using var auditor = await _factory.ClientForAsync("auditor");
        var pack = await auditor.GetByteArrayAsync($"/api/evidence/packs/{id}");
        using (var zip = new ZipArchive(new MemoryStream(pack)))
        using (var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open()))
        {
            Assert.Contains(firstManifest!, await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        var verified = await auditor.PostAsync("/api/evidence/verify", new ByteArrayContent(pack));
        Assert.True((await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verified").GetBoolean());
        var chain = await auditor.GetFromJsonAsync<JsonElement>("/api/evidence/verify-all");
        Assert.Equal((true, 2), (chain.GetProperty("verified").GetBoolean(), chain.GetProperty("packs").GetInt32()));
        var audit = await _factory.Services.GetRequiredService<AuditLog>().RecentAsync(20);
        Assert.Contains(audit, e => (e.Actor, e.Action, e.Target) == ("auditor", "evidence.export", id));
        Assert.Contains(audit, e => (e.Actor, e.Action, e.Target) == ("manager", "drill.sign-off", id));
    }

    [Fact]
    public async Task TamperedUpload_IsReportedWithTheFileThatFails()
    {
        using var op = await _factory.ClientForAsync("operator");
        var run = await op.PostAsJsonAsync("/api/drills", new { scenario = "latency-degradation", region = "eu-central-1", mode = "full-speed" });
        var id = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var auditor = await _factory.ClientForAsync("auditor");
        var pack = await auditor.GetByteArrayAsync($"/api/evidence/packs/{id}");

        using var tampered = new MemoryStream();
        tampered.Write(pack);
        using (var zip = new ZipArchive(tampered, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("timeline.csv")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = await reader.ReadToEndAsync();
            }

            entry.Delete();
            await using var writer = new StreamWriter(zip.CreateEntry("timeline.csv").Open());
            await writer.WriteAsync(text.Replace("latency", "Latency", StringComparison.Ordinal));
        }

        var response = await auditor.PostAsync("/api/evidence/verify", new ByteArrayContent(tampered.ToArray()));

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("verified").GetBoolean());
        Assert.Equal("timeline.csv", result.GetProperty("failure").GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("noc", "POST", "/api/drills", "{\"scenario\":\"region-outage\",\"region\":\"eu-west-1\",\"mode\":\"full-speed\"}", HttpStatusCode.Forbidden, "Only an Operator or an Admin")]
    [InlineData("operator", "POST", "/api/drills", "{\"scenario\":\"meteor\",\"region\":\"eu-west-1\"}", HttpStatusCode.BadRequest, "use one of region-outage")]
    [InlineData("operator", "POST", "/api/drills", "{\"scenario\":\"region-outage\",\"region\":\"mars-1\"}", HttpStatusCode.BadRequest, "target region 'mars-1'")]
    [InlineData("operator", "POST", "/api/drills/schedules", "{\"cron\":\"every monday\",\"scenario\":\"region-outage\",\"region\":\"eu-west-1\"}", HttpStatusCode.BadRequest, "five-field cron")]
    [InlineData("auditor", "POST", "/api/drills/schedules", "{\"cron\":\"0 3 * * 1\",\"scenario\":\"region-outage\",\"region\":\"eu-west-1\"}", HttpStatusCode.Forbidden, "Only an Operator or an Admin")]
    [InlineData("operator", "POST", "/api/drills/nope/sign-off", "", HttpStatusCode.Forbidden, "Only an Approver or an Admin")]
    [InlineData("manager", "POST", "/api/drills/nope/sign-off", "", HttpStatusCode.NotFound, "No drill has id 'nope'")]
    [InlineData("auditor", "GET", "/api/evidence/packs/nope", "", HttpStatusCode.NotFound, "has no evidence pack")]
    public async Task Refusals_SayWhy(string user, string method, string path, string body, HttpStatusCode status, string message)
    {
        using var client = await _factory.ClientForAsync(user);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("noc")]
    [InlineData("operator")]
    public async Task EvidenceApi_IsClosedToRolesThatDoNotReadEvidence(string user)
    {
        using var client = await _factory.ClientForAsync(user);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/evidence/public-key")).StatusCode);
    }

    [Fact]
    public async Task DueSchedule_RunsOnce_AndMovesToItsNextOccurrence()
    {
        using var op = await _factory.ClientForAsync("operator");
        var created = await op.PostAsJsonAsync("/api/drills/schedules", new { cron = "* * * * *", scenario = "checker-flapping", region = "eu-north-1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedules = _factory.Services.GetRequiredService<DrillSchedules>();
        Assert.Equal(0, await schedules.RunDueAsync());

        _factory.Time.Advance(TimeSpan.FromMinutes(2));
        var ran = await schedules.RunDueAsync();

        Assert.Equal(1, ran);
        Assert.Equal(0, await schedules.RunDueAsync());
        var schedule = Assert.Single(await schedules.ListAsync());
        Assert.StartsWith("drill-", schedule.LastDrillId, StringComparison.Ordinal);
        var history = await op.GetFromJsonAsync<JsonElement>("/api/drills");
        Assert.Equal("scheduled", Assert.Single(history.EnumerateArray()).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task LiveDrill_OnTheConsolesTwin_ShowsItsTimeline_ThenEndsWithAReportMeasuredFromTheSamePipeline()
    {
        // Tokens are checked against the wall clock: take one before the fake clock moves on.
        using var op = await _factory.ClientForAsync("operator");
        await _factory.AdvanceAsync(TimeSpan.FromMinutes(3));
        var run = await op.PostAsJsonAsync("/api/drills", new { scenario = "region-outage", region = "eu-west-1", mode = "live" });
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var second = await op.PostAsJsonAsync("/api/drills", new { scenario = "error-spike", region = "eu-central-1", mode = "live" });
        Assert.Contains("one live drill at a time", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await _factory.AdvanceAsync(TimeSpan.FromMinutes(3));
        var live = await op.GetFromJsonAsync<JsonElement>("/api/drills/live");
        var kinds = live.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("fault-start", kinds);
        Assert.Contains("detection", kinds);

        await _factory.AdvanceAsync(TimeSpan.FromMinutes(35));

        Assert.Equal(HttpStatusCode.NoContent, (await op.GetAsync("/api/drills/live")).StatusCode);
        var row = Assert.Single((await op.GetFromJsonAsync<JsonElement>("/api/drills")).EnumerateArray());
        Assert.Equal(("live", "Completed", true), (row.GetProperty("mode").GetString(), row.GetProperty("state").GetString(), row.GetProperty("passed").GetBoolean()));
        Assert.InRange(row.GetProperty("rtoSeconds").GetDouble(), 60, 900);
        var report = await op.GetFromJsonAsync<JsonElement>($"/api/drills/{row.GetProperty("id").GetString()}");
        Assert.Contains(report.GetProperty("participants").EnumerateArray(), p => p.GetProperty("name").GetString() == "operator");
        Assert.Contains(report.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "recovery");
    }

    [Fact]
    public async Task DrillLeftRunningByAnEarlierProcess_IsMarkedInterrupted_BeforeAnythingElseStarts()
    {
        var data = Path.Combine(Path.GetTempPath(), "aworld-restart-" + Guid.NewGuid().ToString("N"));
        using (var before = new ConsoleFactory(data))
        {
            var contexts = before.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AWorld.Console.Storage.ConsoleDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            db.Drills.Add(new AWorld.Console.Storage.DrillRunRow { Id = "drill-before-restart", Scenario = "region-outage", Region = "eu-west-1", Policy = "Automatic", Mode = "live", StartedBy = "operator", State = AWorld.Console.Storage.DrillRunState.Running });
            await db.SaveChangesAsync();
        }

        // A new process on the same data directory: its start-up closes the drill before the first request is served.
        using var after = new ConsoleFactory(data, keepData: false);
        using var noc = await after.ClientForAsync("noc");
        var row = Assert.Single((await noc.GetFromJsonAsync<JsonElement>("/api/drills")).EnumerateArray());
        Assert.Equal("Failed", row.GetProperty("state").GetString());
        Assert.StartsWith("Interrupted: the console restarted", row.GetProperty("verdict").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_WhoseNextDrillDateHasPassed_IsOverdue_UntilRunAgain()
    {
        using var op = await _factory.ClientForAsync("operator");
        await op.PostAsJsonAsync("/api/drills", new { scenario = "checker-flapping", region = "eu-north-1", mode = "full-speed" });
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>("/api/drills/overdue")).EnumerateArray());

        _factory.Time.Advance(TimeSpan.FromDays(9));

        var late = Assert.Single((await op.GetFromJsonAsync<JsonElement>("/api/drills/overdue")).EnumerateArray());
        Assert.Equal(("checker-flapping", "eu-north-1"), (late.GetProperty("scenario").GetString(), late.GetProperty("region").GetString()));
        Assert.Contains("set the next drill for", late.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await op.PostAsJsonAsync("/api/drills", new { scenario = "checker-flapping", region = "eu-north-1", mode = "full-speed" });

        Assert.Empty((await op.GetFromJsonAsync<JsonElement>("/api/drills/overdue")).EnumerateArray());
    }
}
