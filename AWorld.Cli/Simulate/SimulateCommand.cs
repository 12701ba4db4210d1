using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Cli.Simulate;

/// <summary><c>aworld simulate</c>: runs the twin headless as fast as the machine allows and prints a summary.</summary>
public static class SimulateCommand
{
    public const string Example = "aworld simulate --duration 02:00:00 --seed 42 --fault \"outage eu-west-1 at 00:30:00 for 00:20:00\" --json";

    private const string Help = """
        aworld simulate — run the estate twin headless and summarise what happened

          --duration HH:MM:SS   virtual time to simulate (default 01:00:00; D.HH:MM:SS for days)
          --seed N              random seed; the same seed and faults give the same output, byte for byte (default 1)
          --fault "SPEC"        a fault to inject; may repeat. SPEC is
                                KIND TARGET [MAGNITUDE] [client NAME] [at HH:MM:SS] [for HH:MM:SS]
                                kinds: outage REGION, partition REGION-REGION, latency REGION [+800ms],
                                errors REGION [30%], throttle REGION [x40] [client tenant-03], flap REGION [50%]
          --config FILE         JSON configuration with Estate, Simulation and Telemetry sections
          --json                print the summary as JSON

        Example:
          
        """;

    private static readonly HashSet<string> ValueOptions = ["--duration", "--seed", "--fault", "--config"];
    private static readonly HashSet<string> FlagOptions = ["--json", "--help", "-h"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentReader reader;
        SimulationRun run;
        ServiceProvider services;
        IConfiguration configuration;
        try
        {
            reader = new ArgumentReader(args, ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            var duration = reader.Duration("--duration", TimeSpan.FromHours(1));
            var seed = reader.Long("--seed", 1);
            configuration = ReadConfiguration(reader);
            services = CliServices.Build(configuration);
            var estate = CliServices.Resolve<EstateTopology>(services, Example);
            var faults = new List<FaultSpec>();
            foreach (var text in reader.All("--fault"))
            {
                if (!FaultSpecParser.TryParse(text, estate, out var spec, out var error))
                {
                    throw reader.Problem($"--fault \"{text}\": {error}");
                }

                if (spec.Delay >= duration)
                {
                    throw reader.Problem($"--fault \"{text}\" starts at {spec.Delay}, after the run ends (--duration {duration})");
                }

                faults.Add(spec);
            }

            run = new SimulationRun(duration, seed, faults);
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld simulate: {problem.Message}");
            return CliApp.BadArguments;
        }

        using (services)
        {
            var watch = Stopwatch.StartNew();
            var summary = await SimulationRunner.RunAsync(configuration, run, cancellationToken);
            watch.Stop();

            if (reader.Flag("--json"))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, SimulateJson.Default.SimulationSummary));
            }
            else
            {
                await stdout.WriteAsync(SummaryText.Format(summary));
            }

            var speed = run.Duration.TotalSeconds / Math.Max(watch.Elapsed.TotalSeconds, 1e-6);
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"simulated {run.Duration} in {watch.Elapsed.TotalSeconds:0.00} s ({speed:N0}x real time)"));
            return CliApp.Ok;
        }
    }

    private static IConfiguration ReadConfiguration(ArgumentReader reader)
    {
        var builder = new ConfigurationBuilder();
        if (reader.Single("--config") is { } file)
        {
            if (!File.Exists(file))
            {
                throw reader.Problem($"--config '{file}' does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.AddEnvironmentVariables("AWORLD_");
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException)
        {
            throw reader.Problem($"--config could not be read: {ex.Message}");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SimulationSummary))]
internal sealed partial class SimulateJson : JsonSerializerContext;
