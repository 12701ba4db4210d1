extern alias console;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AWorld.Core.Drills;
using AWorld.Core.Evidence;
using AWorld.Twin.Serve.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ConsoleDbContext = console::AWorld.Console.Storage.ConsoleDbContext;
using ConsoleProgram = console::Program;
using DrillRepository = console::AWorld.Console.Drills.DrillRepository;
using UserAccount = console::AWorld.Console.Accounts.UserAccount;

namespace AWorld.Twin.Serve.Tests.EndToEnd;

/// <summary>
/// The twin served in its own process, on real time and quick DNS (health checks every 10 s with a threshold of 1,
/// a 5 s TTL, no sticky resolvers, changes in sync after 5 s), so that an incident plays out in a minute.
/// </summary>
public sealed class QuickTwin : ServedTwin
{
    protected override double Speed => 1;

    protected override IEnumerable<string> MoreArguments(string directory)
    {
        var config = Path.Combine(directory, "quick.json");
        File.WriteAllText(config, """
            {
              "Estate": { "HealthChecks": { "RequestIntervalSeconds": 10, "FailureThreshold": 1 }, "Dns": { "TtlSeconds": 5 } },
              "Simulation": { "StickyResolverShare": 0, "DnsChangePropagation": "00:00:05" }
            }
            """);
        return ["--config", config];
    }
}

/// <summary>
/// A console in AWS mode against the twin served over AWS's wire protocols, through real HTTP, real SigV4 signatures
/// and real AWS wire formats: every read and change goes through the AWS adapters, as it would against an account.
/// Runs on real time (the console's estate clock in AWS mode is the real clock); every wait is bounded.
/// </summary>
public sealed class AwsModeConsoleTests(QuickTwin twin) : IClassFixture<QuickTwin>
{
    internal const string Password = "aworld-e2e-password";
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);


    [Fact]
    public async Task Outage_IsSeen_FailedOverThroughRoute53_AndClientsLeave_ThenADrillsKmsSignedPackVerifiesOffline()
    {
        using var console = new AwsConsole(twin.SettingsFile);
        Assert.IsType<AWorld.Aws.Telemetry.CloudWatchTelemetrySource>(console.Services.GetRequiredService<Core.Telemetry.ITelemetrySource>());
        await console.AddUsersAsync(("olivia", "Operator"), ("martin", "Approver"));
        using var operatorClient = await console.ClientForAsync("olivia");
        using var manager = await console.ClientForAsync("martin");

        // The estate as read through CloudWatch and Route 53 over the wire: every region healthy.
        await EventuallyAsync(() => RegionAsync(operatorClient, "eu-west-1"), r => r?.GetProperty("health").GetString() == "Healthy", "eu-west-1 shown Healthy");

        // An outage, injected in the twin: the console sees it through the AWS adapters only.
        using (var inject = await twin.Http.PostAsJsonAsync(new Uri(twin.Endpoint, "/_twin/faults"), new { kind = "outage", region = "eu-west-1" }))
        {
            Assert.Equal(HttpStatusCode.Created, inject.StatusCode);
        }

        await EventuallyAsync(() => RegionAsync(operatorClient, "eu-west-1"), r => r?.GetProperty("health").GetString() == "Unhealthy", "eu-west-1 shown Unhealthy");

        // The guarded path: an Operator requests, an Approver approves, the executor changes the weights over Route 53.
        using var requested = await operatorClient.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "e2e: eu-west-1 is down" });
        Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var operation = await requested.Content.ReadFromJsonAsync<JsonElement>();
        var id = operation.GetProperty("id").GetString()!;
        using var approved = await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = Password, acceptDataAtRisk = true, planHash = operation.GetProperty("plan").GetProperty("hash").GetString() });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        var finished = await EventuallyAsync(async () => await operatorClient.GetFromJsonAsync<JsonElement>($"/api/operations/{id}"),
            o => o.GetProperty("state").GetString() is "Completed" or "Failed" or "RolledBack", "the failover finished");
        Assert.True(finished.GetProperty("state").GetString() == "Completed", $"{finished.GetProperty("outcome")} {finished.GetProperty("journal")}");

        // The twin's weighted records, read back with the AWS CLI: eu-west-1 takes no traffic any more.
        var records = await AwsCli.RunAsync(AwsCli.V1, twin, "us-east-1", "route53", "list-resource-record-sets",
            "--hosted-zone-id", twin.Settings.GetProperty("Estate").GetProperty("Dns").GetProperty("HostedZoneId").GetString()!);
        Assert.True(records.ExitCode == 0, records.ToString());
        var west = records.Json.GetProperty("ResourceRecordSets").EnumerateArray().Single(r => r.TryGetProperty("SetIdentifier", out var s) && s.GetString() == "eu-west-1");
        Assert.Equal(0, west.GetProperty("Weight").GetInt32());

        // And the clients follow: their traffic leaves the region once their cached answers expire.
        await EventuallyAsync(() => ShareAsync("eu-west-1"), share => share < 0.01, "clients' traffic left eu-west-1");

        // A live drill through the same adapters: its faults go in as FIS experiments, its clients' success and canaries
        // come from CloudWatch and DynamoDB, its report is signed by the KMS key, and the pack verifies offline.
        var host = console.Services.GetRequiredService<DrillHost>();
        var plan = new DrillPlan(DrillScenario.LatencyDegradation, "eu-central-1", ResponsePolicy.Automatic, FaultDuration: TimeSpan.FromSeconds(20), ObserveFor: TimeSpan.FromMinutes(3));
        var started = await host.StartAsync(plan, new DrillStart(new Core.Actor("olivia", "Operator"), [new DrillParticipant("olivia", "Operator", "started the drill live on the console's estate")]));
        Assert.True(started.Succeeded, started.Failure?.Message);
        var outcome = await started.Value!.Completion.WaitAsync(Patience * 2);
        Assert.Contains(outcome.Report.Timeline, e => e.Kind == DrillEventKinds.FaultEnd);
        Assert.NotEmpty(outcome.Audit);

        // The pack, verified offline against the KMS key's public key as the AWS CLI reads it from the served KMS.
        var repository = console.Services.GetRequiredService<DrillRepository>();
        var row = Assert.Single(await repository.HistoryAsync(10), r => r.Id == outcome.Report.DrillId);
        var aws = twin.AwsSettings;
        var key = await AwsCli.RunAsync(AwsCli.V1, twin, aws.GetProperty("KmsRegion").GetString()!, "kms", "get-public-key", "--key-id", aws.GetProperty("KmsKeyId").GetString()!);
        Assert.True(key.ExitCode == 0, key.ToString());
        var pem = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", Convert.FromBase64String(key.Json.GetProperty("PublicKey").GetString()!));
        await using var file = File.OpenRead(Path.Combine(console.DataDirectory, "evidence", row.PackFile!));
        var verification = EvidencePackVerifier.Verify(file, new string(pem));
        Assert.True(verification.Verified, JsonSerializer.Serialize(verification));
    }

    private async Task<double> ShareAsync(string region)
    {
        var truth = await twin.Http.GetFromJsonAsync<JsonElement>(new Uri(twin.Endpoint, "/_twin/truth"));
        return truth.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("code").GetString() == region).GetProperty("trafficShare").GetDouble();
    }

    internal static async Task<JsonElement?> RegionAsync(HttpClient client, string region)
    {
        using var response = await client.GetAsync("/api/estate");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var snapshot = await response.Content.ReadFromJsonAsync<JsonElement>();
        return snapshot.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("code").GetString() == region);
    }

    /// <summary>Waits (bounded) for a condition on the real clock: the console and the served twin run in real time.</summary>
    internal static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not within {Patience.TotalSeconds} s: {what}. Last: {value}");
            await Task.Delay(250);
        }
    }

    /// <summary>The console, in AWS mode against the served twin's settings, on the real clock with its driver on.</summary>
    internal sealed class AwsConsole(string settingsFile, Dictionary<string, string?>? more = null) : WebApplicationFactory<ConsoleProgram>
    {
        public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "aworld-aws-e2e-" + Guid.NewGuid().ToString("N"));

        /// <summary>Accounts, as an administrator would create them: in AWS mode no demo account is ever seeded.</summary>
        public async Task AddUsersAsync(params (string Name, string Role)[] users)
        {
            var contexts = Services.GetRequiredService<IDbContextFactory<ConsoleDbContext>>();
            var hasher = Services.GetRequiredService<IPasswordHasher<UserAccount>>();
            await using var db = await contexts.CreateDbContextAsync();
            Assert.Empty(await db.Users.ToListAsync());
            foreach (var (name, role) in users)
            {
                var user = new UserAccount { UserName = name, Role = role, CreatedAt = DateTimeOffset.UnixEpoch };
                user.PasswordHash = hasher.HashPassword(user, Password);
                db.Users.Add(user);
            }

            await db.SaveChangesAsync();
        }

        public async Task<HttpClient> ClientForAsync(string user)
        {
            var client = CreateClient();
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = Password });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As host settings, so that the registration sees them too (it chooses the estate by Estate:Provider).
            builder.UseConfiguration(new ConfigurationBuilder()
                .AddJsonFile(settingsFile, optional: false)
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Console:DataDirectory"] = DataDirectory,
                    // The human path is the point here: the ladder proposes, people decide.
                    ["Operations:AutoFailover"] = "false",
                })
                .AddInMemoryCollection(more ?? [])
                .Build());
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans its temp folder.
            }
        }
    }
}

/// <summary>
/// The console in AWS mode when things are not right: writes off, an identity the account does not know, an endpoint
/// that never answers. Its own served twin, so that the outage above does not change what these see.
/// </summary>
public sealed class AwsModeFailureTests(QuickTwin twin) : IClassFixture<QuickTwin>
{
    private const string Password = AwsModeConsoleTests.Password;

    [Fact]
    public async Task WithWritesOff_AnApprovedFailover_IsADryRun_WhoseJournalHoldsTheExactRequest_AndNothingMoves()
    {
        using var console = new AwsModeConsoleTests.AwsConsole(twin.SettingsFile, new() { ["Estate:Aws:AllowWrites"] = "false" });
        await console.AddUsersAsync(("olivia", "Operator"), ("martin", "Approver"));
        using var operatorClient = await console.ClientForAsync("olivia");
        using var manager = await console.ClientForAsync("martin");
        await AwsModeConsoleTests.EventuallyAsync(() => AwsModeConsoleTests.RegionAsync(operatorClient, "eu-central-1"), r => r?.GetProperty("health").GetString() == "Healthy", "eu-central-1 shown Healthy");

        using var requested = await operatorClient.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-central-1", reason = "e2e: rehearse with writes off" });
        Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var operation = await requested.Content.ReadFromJsonAsync<JsonElement>();
        var id = operation.GetProperty("id").GetString()!;
        using var approved = await manager.PostAsJsonAsync($"/api/operations/{id}/approve", new { password = Password, acceptDataAtRisk = true, planHash = operation.GetProperty("plan").GetProperty("hash").GetString() });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        var finished = await AwsModeConsoleTests.EventuallyAsync(async () => await operatorClient.GetFromJsonAsync<JsonElement>($"/api/operations/{id}"),
            o => o.GetProperty("state").GetString() is "Completed" or "Failed" or "RolledBack", "the dry run finished");

        Assert.Equal("Failed", finished.GetProperty("state").GetString());
        var failed = finished.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("status").GetString() == "Failed").GetProperty("detail").GetString()!;
        Assert.Contains("Estate:Aws:AllowWrites is false, so this change was not sent (dry run)", failed, StringComparison.Ordinal);
        Assert.Contains("POST " + new Uri(twin.Endpoint, "2013-04-01/hostedzone/"), failed, StringComparison.Ordinal);
        Assert.Contains("<Weight>0</Weight>", failed, StringComparison.Ordinal);
        var records = await AwsCli.RunAsync(AwsCli.V1, twin, "us-east-1", "route53", "list-resource-record-sets",
            "--hosted-zone-id", twin.Settings.GetProperty("Estate").GetProperty("Dns").GetProperty("HostedZoneId").GetString()!);
        var central = records.Json.GetProperty("ResourceRecordSets").EnumerateArray().Single(r => r.TryGetProperty("SetIdentifier", out var s) && s.GetString() == "eu-central-1");
        Assert.Equal(100, central.GetProperty("Weight").GetInt32());
    }

    [Fact]
    public async Task DeniedCredentials_GiveAStaleView_WhoseReasonNamesTheIamActionToGrant()
    {
        using var console = new AwsModeConsoleTests.AwsConsole(twin.SettingsFile, new() { ["Estate:Aws:AccessKeyId"] = "AKIDNOTTHETWINS0000" });
        await console.AddUsersAsync(("nora", "Viewer"));
        using var noc = await console.ClientForAsync("nora");

        var west = await AwsModeConsoleTests.EventuallyAsync(() => AwsModeConsoleTests.RegionAsync(noc, "eu-west-1"), r => r is { } x && x.GetProperty("reasons").ToString().Contains("cloudwatch:GetMetricData", StringComparison.Ordinal), "a reason naming the IAM action");

        Assert.NotEqual("Healthy", west!.Value.GetProperty("health").GetString());
        Assert.Contains("Grant the IAM action cloudwatch:GetMetricData", west.Value.GetProperty("reasons").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointThatNeverAnswers_GivesAStaleView_WithTheTimeoutInItsReason_AndThePagesStayUp()
    {
        using var blackHole = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/";
        using var console = new AwsModeConsoleTests.AwsConsole(twin.SettingsFile, new()
        {
            ["Estate:Aws:Endpoints:CloudWatch"] = url,
            ["Estate:Aws:Timeout"] = "00:00:01",
            ["Estate:Aws:MaxRetries"] = "0",
        });
        await console.AddUsersAsync(("nora", "Viewer"));
        using var noc = await console.ClientForAsync("nora");

        var west = await AwsModeConsoleTests.EventuallyAsync(() => AwsModeConsoleTests.RegionAsync(noc, "eu-west-1"), r => r is { } x && x.GetProperty("reasons").ToString().Contains("RequestTimeout", StringComparison.Ordinal), "a reason naming the timeout");

        Assert.True(west!.Value.GetProperty("isStale").GetBoolean());
        Assert.Contains("did not answer within 1 s", west.Value.GetProperty("reasons").ToString(), StringComparison.Ordinal);
        using var page = await noc.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
