using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Cli.Drill;

/// <summary>What <c>aworld drill run --json</c> prints.</summary>
public sealed record DrillRunSummary(
    string DrillId,
    string Scenario,
    string Region,
    string Policy,
    double? DetectionSeconds,
    double? RtoSeconds,
    double RpoSeconds,
    bool Passed,
    string Verdict,
    string Pack,
    string ManifestSha256);

/// <summary>
/// <c>aworld drill run</c>: runs one whole drill headless on the twin at full speed (the countermeasure ladder acts;
/// under <c>--policy human</c> a scripted operator and approver go through the real approval path), writes its
/// signed evidence pack to the output directory and prints detection, RTO, RPO and pass/fail. Exit 0 when the drill
/// passed, 1 when it failed its criteria (the pack is written either way), 2 for bad arguments.
/// </summary>
public static class DrillCommand
{
    public const string Example = "aworld drill run --scenario region-outage --region eu-west-1 --seed 7 --out packs --json";

    /// <summary>The newest pack's manifest hash in an output directory, so that packs written there form a chain.</summary>
    public const string ChainFile = "evidence-chain-head.txt";

    private const string Help = """
        aworld drill run — run a DR drill headless on the estate twin and write its signed evidence pack

          --scenario NAME     region-outage, network-partition, latency-degradation, error-spike,
                              throttling-storm, bad-deploy, checker-flapping
          --region CODE       the target region (default estate: eu-west-1, eu-central-1, eu-north-1)
          --policy P          automatic (the ladder alone, default) or human (scripted operator and approver)
          --seed N            random seed of the twin (default 1)
          --out DIR           where the pack <drill-id>.zip goes (default: the current directory); packs written
                              to the same directory chain to each other (evidence-chain-head.txt)
          --key-dir DIR       where the ECDSA P-256 signing key lives, created on first use (default ~/.aworld)
          --json              print the result as JSON (detectionSeconds, rtoSeconds, rpoSeconds, passed, pack)

        Exit codes: 0 passed, 1 failed its criteria (the pack is still written), 2 bad arguments.

        Example:
          
        """;

    // Verdicts hold "≤" and "→": printed as they are, not as \u escapes.
    private static readonly JsonSerializerOptions JsonOptions = new(DrillJson.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> ValueOptions = ["--scenario", "--region", "--policy", "--seed", "--out", "--key-dir"];
    private static readonly HashSet<string> FlagOptions = ["--json", "--help", "-h"];

    /// <param name="args">The arguments after <c>drill</c>.</param>
    /// <param name="stdout">Where the result goes.</param>
    /// <param name="stderr">Where problems and the run's timing go.</param>
    /// <param name="time">The caller's clock: the drill is dated by it (<see cref="TimeProvider.System"/> from the command line).</param>
    /// <param name="cancellationToken">Stops the drill between two virtual seconds.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteLineAsync(Help + "  " + Example);
            return args.Length == 0 ? CliApp.BadArguments : CliApp.Ok;
        }

        if (args[0] != "run")
        {
            await stderr.WriteLineAsync($"aworld drill: unknown subcommand '{args[0]}'. Example: {Example}");
            return CliApp.BadArguments;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("AWORLD_").Build();
        await using var services = CliServices.Build(configuration);
        EstateTopology estate;
        ArgumentReader reader;
        DrillPlan plan;
        string outDir;
        string keyDir;
        try
        {
            reader = new ArgumentReader(args[1..], ValueOptions, FlagOptions, Example);
            estate = CliServices.Resolve<EstateTopology>(services, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            var scenarioText = reader.Single("--scenario") ?? throw reader.Problem("--scenario is required");
            if (!DrillScenarios.TryParse(scenarioText, out var scenario))
            {
                throw reader.Problem($"--scenario '{scenarioText}' is unknown; use one of {string.Join(", ", DrillScenarios.All.Select(d => d.Name))}");
            }

            var region = reader.Single("--region") ?? throw reader.Problem("--region is required");
            var policy = (reader.Single("--policy") ?? "automatic").ToLowerInvariant() switch
            {
                "automatic" => ResponsePolicy.Automatic,
                "human" => ResponsePolicy.Human,
                var other => throw reader.Problem($"--policy '{other}' is unknown; use automatic or human"),
            };
            plan = new DrillPlan(scenario, region, policy, Seed: reader.Long("--seed", 1));
            if (plan.Validate(estate) is { IsEmpty: false } errors)
            {
                throw reader.Problem(string.Join("; ", errors));
            }

            outDir = Path.GetFullPath(reader.Single("--out") ?? ".");
            keyDir = Path.GetFullPath(reader.Single("--key-dir") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aworld"));
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld drill run: {problem.Message}");
            return CliApp.BadArguments;
        }

        var started = time.GetTimestamp();
        // Dated now (to the second), so that the report's dates and next drill date mean something to an auditor.
        var now = time.GetUtcNow();
        var runner = services.GetRequiredService<DrillRunner>();
        var result = await runner.RunAsync(plan, new DrillRunSettings(StartAt: now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond))), cancellationToken);
        if (result.Value is not { } outcome)
        {
            await stderr.WriteLineAsync($"aworld drill run: the drill could not run: {result.Failure!.Message}");
            return CliApp.BadArguments;
        }

        string packPath;
        string manifestSha;
        try
        {
            Directory.CreateDirectory(outDir);
            using var signer = new LocalEvidenceSigner(keyDir);
            var chainPath = Path.Combine(outDir, ChainFile);
            var previous = File.Exists(chainPath) ? (await File.ReadAllTextAsync(chainPath, cancellationToken)).Trim() : null;
            packPath = Path.Combine(outDir, outcome.Report.DrillId + ".zip");
            var partial = packPath + ".partial";
            await using (var file = File.Create(partial))
            {
                manifestSha = await EvidencePack.WriteAsync(outcome.Report, outcome.Audit, string.IsNullOrEmpty(previous) ? null : previous, signer, file, cancellationToken);
            }

            // The pack appears under its name only when complete.
            File.Move(partial, packPath, overwrite: true);
            await File.WriteAllTextAsync(chainPath, manifestSha + "\n", cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EvidenceKeyException)
        {
            await stderr.WriteLineAsync($"aworld drill run: could not write the evidence pack to {outDir}: {ex.Message}");
            return CliApp.Failed;
        }

        var report = outcome.Report;
        var summary = new DrillRunSummary(
            report.DrillId, plan.Definition.Name, plan.TargetRegion, plan.Policy.ToString().ToLowerInvariant(),
            report.Detection?.TotalSeconds, report.Rto.Achieved?.TotalSeconds, report.Rpo.Achieved?.TotalSeconds ?? 0,
            report.Passed, report.Verdict, packPath, manifestSha);
        if (reader.Flag("--json"))
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, JsonOptions));
        }
        else
        {
            await stdout.WriteLineAsync(Text(summary));
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"drill ran {Formats.Duration(report.EndedAt - report.StartedAt)} of estate time in {time.GetElapsedTime(started).TotalSeconds:0.0} s"));
        return report.Passed ? CliApp.Ok : CliApp.Failed;
    }

    private static string Text(DrillRunSummary s)
    {
        static string Seconds(double? v) => v is { } x ? Formats.Seconds(x) : "not reached";
        return string.Join(Environment.NewLine,
            $"drill      {s.DrillId}",
            $"scenario   {s.Scenario} on {s.Region} ({s.Policy} response)",
            $"detection  {Seconds(s.DetectionSeconds)}",
            $"RTO        {Seconds(s.RtoSeconds)}",
            $"RPO        {Seconds(s.RpoSeconds)}",
            $"result     {(s.Passed ? "PASSED" : "FAILED")}: {s.Verdict}",
            $"pack       {s.Pack}",
            $"manifest   sha256 {s.ManifestSha256}");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DrillRunSummary))]
internal sealed partial class DrillJson : JsonSerializerContext;
