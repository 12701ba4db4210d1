using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
            services = BuildServices(reader);
            var estate = Resolve<EstateTopology>(services);
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
            var estate = services.GetRequiredService<EstateTopology>();
            var options = services.GetRequiredService<IOptions<SimulationOptions>>().Value;
            var telemetry = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var watch = Stopwatch.StartNew();
            var summary = await SimulationRunner.RunAsync(estate, options, telemetry, run, cancellationToken);
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

    private static ServiceProvider BuildServices(ArgumentReader reader)
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
        IConfiguration configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException)
        {
            throw reader.Problem($"--config could not be read: {ex.Message}");
        }

        return new ServiceCollection().AddAWorldCore(configuration).BuildServiceProvider();
    }

    /// <summary>Resolves a service, turning invalid configuration into a one-line-per-problem argument error.</summary>
    private static T Resolve<T>(IServiceProvider services)
        where T : notnull
    {
        try
        {
            _ = services.GetRequiredService<IOptions<SimulationOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            return services.GetRequiredService<T>();
        }
        catch (OptionsValidationException ex)
        {
            throw new ArgumentProblemException("the configuration is invalid: " + string.Join(" ", ex.Failures) + $" Example: {Example}");
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The estate configuration is invalid", StringComparison.Ordinal))
        {
            throw new ArgumentProblemException(ex.Message.ReplaceLineEndings(" ") + $" Example: {Example}");
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or InvalidOperationException)
        {
            throw new ArgumentProblemException($"the configuration could not be bound: {ex.Message} Example: {Example}");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SimulationSummary))]
internal sealed partial class SimulateJson : JsonSerializerContext;
