using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.EndToEnd;

/// <summary>
/// The console as a real process, killed with <c>kill -9</c> in the middle of an approved failover and started again on
/// the same data directory: the twin resumes from <c>twin-state.json</c>, so the Route 53 change the executor waits on is
/// still known, and the failover completes exactly once. Runs at 10× real time; every wait is bounded.
/// </summary>
public sealed class ConsoleRestartTests : IDisposable
{
    private const string Password = "aworld-demo";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    // Quick DNS so that the failover plays out in seconds, but a change that takes 2 virtual minutes (12 s) to go
    // INSYNC, so that the console can be killed while the executor waits on it.
    private static readonly string[] Settings =
    [
        "--Simulation:Speed=10",
        "--Simulation:DnsChangePropagation=00:02:00",
        "--Simulation:StickyResolverShare=0",
        "--Estate:Dns:TtlSeconds=5",
        "--Operations:AutoFailover=false",
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("aworld-restart-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }

    [Fact]
    public async Task KilledWhileAFailoverWaitsOnItsRoute53Change_TheRestartedConsole_CompletesItExactlyOnce()
    {
        string id;
        JsonElement[] journalAtKill;
        await using (var first = await ConsoleProcess.StartAsync(_data, Settings))
        {
            using var operatorClient = await first.ClientForAsync("operator", Password);
            using var manager = await first.ClientForAsync("manager", Password);
            await EventuallyAsync(() => HealthAsync(operatorClient, "eu-west-1"), h => h == "Healthy", "eu-west-1 shown Healthy", first);

            using var requested = await operatorClient.PostAsJsonAsync("/api/operations", new { kind = "failover", from = "eu-west-1", reason = "restart test" });
            Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
            var operation = await requested.Content.ReadFromJsonAsync<JsonElement>();
            id = operation.GetProperty("id").GetString()!;
            using var approved = await manager.PostAsJsonAsync($"/api/operations/{id}/approve",
                new { password = Password, acceptDataAtRisk = true, planHash = operation.GetProperty("plan").GetProperty("hash").GetString() });
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());

            // After approval, once the weights were changed and while the executor waits for the change to go INSYNC.
            var waiting = await EventuallyAsync(() => OperationAsync(operatorClient, id),
                o => Lines(o).Any(j => Is(j, 0, "Succeeded")) || o.GetProperty("state").GetString() is not ("Approved" or "Executing"), "the weight change submitted", first);
            Assert.Equal("Executing", waiting.GetProperty("state").GetString());
            Assert.DoesNotContain(Lines(waiting), j => Is(j, 1, "Succeeded"));
            journalAtKill = Lines(waiting);
            await first.KillAsync();
        }

        // The change was on disk before the executor journaled it (the twin writes its state before the call returns).
        var changeId = Assert.Single(journalAtKill, j => Is(j, 0, "Succeeded")).GetProperty("changeId").GetString();
        Assert.Equal("C000001", changeId);
        Assert.Contains(changeId, Changes(ReadState()).Select(c => c.GetProperty("id").GetString()));

        await using var second = await ConsoleProcess.StartAsync(_data, Settings);
        Assert.Contains("Resumed the twin from", second.Output, StringComparison.Ordinal);
        using var operatorAgain = await second.ClientForAsync("operator", Password);
        var finished = await EventuallyAsync(() => OperationAsync(operatorAgain, id),
            o => o.GetProperty("state").GetString() is not ("Approved" or "Executing"), "the failover finished", second);

        Assert.True(finished.GetProperty("state").GetString() == "Completed", $"{finished.GetProperty("outcome")}\n{finished.GetProperty("journal")}\n{second.Output}");
        var journal = Lines(finished);

        // Resumed, not restarted: the journal before the kill is the start of the journal after it, nothing was repeated
        // or undone, and the wait on the same change ended INSYNC after the restart.
        Assert.True(journalAtKill.Select(Key).SequenceEqual(journal.Take(journalAtKill.Length).Select(Key)),
            $"before the kill:\n{string.Join('\n', journalAtKill.Select(j => j.GetRawText()))}\nafter:\n{string.Join('\n', journal.Select(j => j.GetRawText()))}");
        Assert.Single(journal, j => Is(j, 0, "Started"));
        Assert.Single(journal, j => Is(j, 0, "Succeeded"));
        Assert.Single(journal, j => Is(j, 1, "Started"));
        Assert.Equal($"change {changeId} INSYNC", Assert.Single(journal, j => Is(j, 1, "Succeeded")).GetProperty("detail").GetString());
        Assert.DoesNotContain(journal, j => j.GetProperty("status").GetString() is "Compensated" or "Failed");

        // One Route 53 change in all: the twin (as saved by the restarted console) knows C000001, INSYNC, and no other.
        var changes = await EventuallyAsync(() => Task.FromResult(Changes(ReadState())), c => c.All(x => x.GetProperty("status").GetString() == "InSync"), "the saved change INSYNC", second);
        Assert.Equal([changeId], changes.Select(c => c.GetProperty("id").GetString()));
    }

    private JsonElement ReadState()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_data, "twin-state.json")));
        return document.RootElement.Clone();
    }

    private static JsonElement[] Changes(JsonElement state) => [.. state.GetProperty("dns").GetProperty("changes").EnumerateArray()];

    private static JsonElement[] Lines(JsonElement operation) => [.. operation.GetProperty("journal").EnumerateArray()];

    private static (int, string?, DateTimeOffset, string?, string?) Key(JsonElement line) =>
        (line.GetProperty("index").GetInt32(), line.GetProperty("status").GetString(), line.GetProperty("at").GetDateTimeOffset(),
            line.GetProperty("detail").GetString(), line.TryGetProperty("changeId", out var c) ? c.GetString() : null);

    private static bool Is(JsonElement line, int index, string status) =>
        line.GetProperty("index").GetInt32() == index && line.GetProperty("status").GetString() == status;

    private static async Task<JsonElement> OperationAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/operations/{id}");

    private static async Task<string?> HealthAsync(HttpClient client, string region)
    {
        using var response = await client.GetAsync("/api/estate");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var snapshot = await response.Content.ReadFromJsonAsync<JsonElement>();
        return snapshot.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("code").GetString() == region).GetProperty("health").GetString();
    }

    /// <summary>Waits (bounded) on the real clock: the console runs in its own process at 10× real time.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, ConsoleProcess console)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not within {Patience.TotalSeconds} s: {what}. Last: {value}\n{console.Output}");
            await Task.Delay(100);
        }
    }
}
