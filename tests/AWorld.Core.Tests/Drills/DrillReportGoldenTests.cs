using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Drills;

/// <summary>
/// The after-action report, byte for byte, for drills that exercise every rule of the report: recorded from the
/// code before the report was split from the observer (Drills/Golden/*.json), so that any change to a sentence, a
/// number's format, the timeline or a metric point shows up here. Ids (drill, operations, the audit chain head)
/// hold a random part; they are replaced by placeholders before comparing.
/// </summary>
/// <remarks>
/// To record a deliberate change to the report, run these tests with AWORLD_RECORD_GOLDEN set to this folder's
/// Golden directory, then review the diff of the JSON files.
/// </remarks>
public partial class DrillReportGoldenTests
{
    private const string Target = "eu-west-1";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Drills() => ["outage-auto-43", "outage-cut-off-7", "partition-auto-42", "errors-human-42", "errors-auto-42", "bad-deploy-human-42", "bad-deploy-restore-timeout-42",
        "latency-auto-42", "throttling-auto-42", "flapping-auto-42", "outage-strict-rto-43",
        "flapping-short-42", "session-43"];

    [Theory]
    [MemberData(nameof(Drills))]
    public async Task Report_IsByteForByteTheRecordedOne(string name)
    {
        var report = await RunAsync(name);
        var actual = Golden.Of(report);

        var directory = Environment.GetEnvironmentVariable("AWORLD_RECORD_GOLDEN");
        if (!string.IsNullOrEmpty(directory))
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name + ".json"), actual.ToText());
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Drills", "Golden", name + ".json");
        Assert.True(File.Exists(path), $"no recorded report {path}");
        var expected = Golden.Parse(await File.ReadAllTextAsync(path));

        // The sentences first, so that a change names the sentence; then every other byte.
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.Deviations, actual.Deviations);
        Assert.Equal(expected.Actions, actual.Actions);
        Assert.Equal(expected.Readable, actual.Readable);
        Assert.Equal(expected.Sha256, actual.Sha256);
    }

    private static Task<DrillReport> RunAsync(string name) => name switch
    {
        "outage-auto-43" => Report(name, new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Seed: 43)),
        "outage-cut-off-7" => Report(name, new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Criteria: new DrillCriteria(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)), Seed: 7, Warmup: TimeSpan.FromMinutes(5),
            BackgroundFaults: [new FaultSpec(FaultKind.Partition, Target, "eu-central-1"), new FaultSpec(FaultKind.Partition, Target, "eu-north-1")])),
        "partition-auto-42" => Report(name, new DrillPlan(DrillScenario.NetworkPartition, Target, Seed: 42)),
        "errors-human-42" => Report(name, new DrillPlan(DrillScenario.ErrorSpike, Target, ResponsePolicy.Human, Seed: 42)),
        "errors-auto-42" => Report($"{DrillScenario.ErrorSpike}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.ErrorSpike, Target, ResponsePolicy.Automatic, Seed: 42)),
        "bad-deploy-human-42" => Report(name, new DrillPlan(DrillScenario.BadDeploy, Target, ResponsePolicy.Human, Seed: 42)),
        "bad-deploy-restore-timeout-42" => RestoreTimeoutAsync(),
        "latency-auto-42" => Report($"{DrillScenario.LatencyDegradation}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.LatencyDegradation, Target, ResponsePolicy.Automatic, Seed: 42)),
        "throttling-auto-42" => Report($"{DrillScenario.ThrottlingStorm}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.ThrottlingStorm, Target, ResponsePolicy.Automatic, Seed: 42)),
        "flapping-auto-42" => Report($"{DrillScenario.CheckerFlapping}-{ResponsePolicy.Automatic}-42", new DrillPlan(DrillScenario.CheckerFlapping, Target, ResponsePolicy.Automatic, Seed: 42)),
        "outage-strict-rto-43" => Report(name, new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Criteria: new DrillCriteria(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)), Seed: 43)),
        "flapping-short-42" => Report(name, new DrillPlan(DrillScenario.CheckerFlapping, Target, ResponsePolicy.Automatic, Seed: 42, FaultDuration: TimeSpan.FromSeconds(20))),
        "session-43" => SessionAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such drill"),
    };

    // The same keys and plans as DrillRunnerTests, so that a test run drives each drill once.
    private static async Task<DrillReport> Report(string key, DrillPlan plan) => (await DrillRuns.GetAsync(key, plan)).Report;

    /// <summary>Never recovers, its restore fails, no cutover: the rules for a failed drill.</summary>
    private static async Task<DrillReport> RestoreTimeoutAsync()
    {
        var runner = Engines.Runner(("Operations:RestoreTimeout", "00:20:00"));
        var result = await runner.RunAsync(new DrillPlan(DrillScenario.BadDeploy, Target, ResponsePolicy.Human, Seed: 42, ObserveFor: TimeSpan.FromMinutes(40)));
        return result.Value!.Report;
    }

    /// <summary>
    /// The console's shape (its own loop), with what no headless drill of the default estate shows: the monitor's
    /// polls stall for the first 150 s of the fault (detection slower than the health checks promise), after the
    /// recovery a second fault makes clients fail again, a restore check fails and someone adds a deviation.
    /// </summary>
    private static async Task<DrillReport> SessionAsync()
    {
        using var h = new OperationsHarness(seed: 43);
        var plan = new DrillPlan(DrillScenario.RegionOutage, Target, ResponsePolicy.Automatic, Seed: 43);
        var session = new DrillSession(plan, h.Twin.Estate, h.Twin, h.Twin, h.Audit, h.AuditStore, h.Time);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        await session.StartAsync();
        long? relapseFrom = null;
        EstateSnapshot? stale = null;
        for (var s = 0; s < 3600 && (relapseFrom is null || s < relapseFrom + 300); s++)
        {
            if (s == 300)
            {
                await session.InjectAsync();
            }

            if (relapseFrom is null && session.Observer.Recovered)
            {
                relapseFrom = s;
                await ((IFaultInjector)h.Twin).InjectAsync(new FaultSpec(FaultKind.Errors, "eu-central-1", Magnitude: 0.5, Duration: TimeSpan.FromMinutes(2)), "tester", CancellationToken.None);
            }

            h.Time.Advance(TimeSpan.FromSeconds(1));
            h.Twin.AdvanceTo(h.Time.GetUtcNow());
            var snapshot = s is >= 300 and < 450 ? stale! : stale = await h.Monitor.PollAsync();
            await h.Countermeasures.EvaluateAsync(snapshot);
            await h.Executor.TickAsync();
            foreach (var op in (await h.Service.BoardAsync()).Operations.Reverse())
            {
                // As the drill host feeds a session: each operation whose version moved since the last step.
                if (!seen.TryGetValue(op.Id, out var version) || version != op.Version)
                {
                    seen[op.Id] = op.Version;
                    session.Observer.ObserveOperation(op);
                }
            }

            await session.ObserveSecondAsync(snapshot, h.Twin.Truth());
        }

        session.Observer.AddRestoreIntegrity(new RestoreIntegrityResult("aworld-players-restored-x", Target, h.Time.GetUtcNow().AddHours(-1), false, "corrupt items 3"), h.Time.GetUtcNow());
        session.Observer.AddDeviation("The tester added a deviation.");
        var outcome = await session.FinishAsync(await h.Service.RecentAsync(), [new DrillParticipant("olivia", "Operator", "watched the console")]);
        return outcome.Report;
    }

    /// <summary>A report's JSON with its ids masked: the readable part, the metric points as hashes, and the hash of it all.</summary>
    private sealed record Golden(string Verdict, string[] Deviations, string[] Actions, string Readable, string Sha256)
    {
        public static Golden Of(DrillReport report)
        {
            var json = Mask(DrillReportJson.Write(report), report);
            var node = JsonNode.Parse(json)!.AsObject();
            foreach (var series in node["metrics"]!.AsArray())
            {
                var points = series!["points"]!.ToJsonString();
                series["points"] = $"{series["points"]!.AsArray().Count} points, sha256 {Hash(points)}";
            }

            return new Golden(
                node["verdict"]!.GetValue<string>(),
                [.. node["deviations"]!.AsArray().Select(d => d!.GetValue<string>())],
                [.. node["correctiveActions"]!.AsArray().Select(a => a!.ToJsonString())],
                node.ToJsonString(Indented),
                Hash(json));
        }

        public static Golden Parse(string text)
        {
            var file = JsonNode.Parse(text)!.AsObject();
            var report = file["report"]!.AsObject();
            return new Golden(
                report["verdict"]!.GetValue<string>(),
                [.. report["deviations"]!.AsArray().Select(d => d!.GetValue<string>())],
                [.. report["correctiveActions"]!.AsArray().Select(a => a!.ToJsonString())],
                report.ToJsonString(Indented),
                file["sha256"]!.GetValue<string>());
        }

        public string ToText() =>
            new JsonObject { ["sha256"] = Sha256, ["report"] = JsonNode.Parse(Readable) }.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

        private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        /// <summary>Ids in order of first appearance (op-1, op-2…), so that which operation is which still counts.</summary>
        private static string Mask(string json, DrillReport report)
        {
            json = json.Replace(report.AuditChainHead, "<audit-chain-head>", StringComparison.Ordinal)
                .Replace(report.DrillId, "<drill-id>", StringComparison.Ordinal);
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            return OperationId().Replace(json, m =>
            {
                if (!ids.TryGetValue(m.Value, out var placeholder))
                {
                    ids[m.Value] = placeholder = $"<op-{ids.Count + 1}>";
                }

                return placeholder;
            });
        }
    }

    [GeneratedRegex(@"op-\d{8}-\d{6}-[0-9a-f]{6}")]
    private static partial Regex OperationId();
}
