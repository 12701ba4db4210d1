using System.Globalization;
using System.Text.Json;
using AWorld.Core.Engine;
using AWorld.Twin;
using AWorld.Twin.Serve;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Cli.Twin;

/// <summary><c>aworld twin serve</c>: runs a twin in this process and serves it over AWS's wire protocols on one loopback endpoint.</summary>
public static class TwinCommand
{
    public const string Example = "aworld twin serve --port 4566 --seed 1 --speed 1 --write-settings twin.appsettings.json";

    private static readonly string Help = $"""
        aworld twin serve — a twin of the estate, served over AWS's own protocols on one loopback HTTP endpoint

          --port PORT             port on 127.0.0.1 to listen on (0 picks a free one; the endpoint is printed)
          --seed N                random seed of the twin (default 1)
          --speed S               virtual seconds per real second, 0.1 to 10000 (default 1: real time)
          --cadence C             how CloudWatch delivers metrics: cloudwatch (default: AWS's 1-minute standard metrics
                                  1-3 minutes late and revised, 1-second canaries, retention tiers of 3 h, 15 d, 63 d and
                                  455 d) or immediate (every second at once, an hour kept); config Simulation:MetricCadence
          --history D.HH:MM:SS    metric history before the start, up to 455.00:00:00 (default 1.00:00:00; the
                                  cloudwatch cadence only); config Simulation:History
          --write-settings FILE   write the appsettings JSON a console needs to run in AWS mode against this twin
          --config FILE           JSON configuration with Estate and Simulation sections (as for simulate)
          --verbose               log every request to stderr

        Every request must be signed (SigV4) with this key pair, for any region:
          AWS_ACCESS_KEY_ID={TwinCredentials.AccessKeyId}
          AWS_SECRET_ACCESS_KEY={TwinCredentials.SecretAccessKey}
        The signing name of the credential scope chooses the service:
          monitoring   CloudWatch GetMetricData (JSON 1.0 and query), the twin's metrics, client requests and success
          route53      health checks and their status, the hosted zone, the API's record set, UPSERT of weights, GetChange
          dynamodb     DescribeTable, DescribeContinuousBackups, RestoreTableToPointInTime, PutItem/GetItem (canaries)
          ssm          GetParameter/PutParameter of {TwinSettings.TableRoutingParameter}
          kms          Sign, GetPublicKey, DescribeKey of one ECC_NIST_P256 key
          fis          experiments from one template per fault kind and region
          apigateway   usage plans and their keys (per-client throttling)
          lambda       reserved concurrency of the API's function (scaling)
          sts          GetCallerIdentity
        Without a signature, on loopback: GET/POST /_twin/faults, DELETE /_twin/faults/ID (the console's
        /api/simulation/faults bodies), GET /_twin/clock, GET /_twin/truth, GET /_twin/clients/REGION.

        Example:
          {Example}
          AWS_ACCESS_KEY_ID={TwinCredentials.AccessKeyId} AWS_SECRET_ACCESS_KEY={TwinCredentials.SecretAccessKey} \
            aws --endpoint-url http://127.0.0.1:4566 --region eu-west-1 route53 list-health-checks
        Ctrl+C stops it.
        """;

    private static readonly HashSet<string> ValueOptions = ["--port", "--seed", "--speed", "--cadence", "--history", "--write-settings", "--config"];
    private static readonly HashSet<string> FlagOptions = ["--verbose", "--help", "-h"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteLineAsync(Help);
            return args.Length == 0 ? CliApp.BadArguments : CliApp.Ok;
        }

        if (args[0] != "serve")
        {
            await stderr.WriteLineAsync($"aworld twin: unknown subcommand '{args[0]}'; use 'serve'. Example: {Example}");
            return CliApp.BadArguments;
        }

        ArgumentReader reader;
        IConfiguration configuration;
        int port;
        string? settingsFile;
        try
        {
            reader = new ArgumentReader(args[1..], ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help);
                return CliApp.Ok;
            }

            port = reader.Single("--port") is { } p
                ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535 ? n : throw reader.Problem($"--port '{p}' is not a port from 0 to 65535")
                : throw reader.Problem("--port is required");
            var seed = reader.Single("--seed") is null ? (long?)null : reader.Long("--seed", 1);
            double? speed = reader.Single("--speed") is { } s
                ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0.1 and <= 10_000 ? v : throw reader.Problem($"--speed '{s}' is not a number from 0.1 to 10000")
                : null;
            MetricCadence? cadence = reader.Single("--cadence") is { } c
                ? Enum.TryParse<MetricCadence>(c, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(c, CultureInfo.InvariantCulture, out _)
                    ? parsed
                    : throw reader.Problem($"--cadence '{c}' is not immediate or cloudwatch")
                : null;
            TimeSpan? history = reader.Single("--history") is { } h
                ? TimeSpan.TryParse(h, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : throw reader.Problem($"--history '{h}' is not a duration like 14.00:00:00")
                : null;
            settingsFile = reader.Single("--write-settings");
            configuration = ReadConfiguration(reader, seed, speed, cadence, history);
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld twin serve: {problem.Message}");
            return CliApp.BadArguments;
        }

        TwinServer server;
        try
        {
            server = await TwinServer.StartAsync(configuration, port, reader.Flag("--verbose"), cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"aworld twin serve: the configuration is invalid: {string.Join(" ", ex.Failures)} Example: {Example}");
            return CliApp.BadArguments;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The estate configuration is invalid", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"aworld twin serve: {ex.Message.ReplaceLineEndings(" ")} Example: {Example}");
            return CliApp.BadArguments;
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"aworld twin serve: cannot listen on 127.0.0.1:{port}: {ex.Message}");
            return CliApp.Failed;
        }

        await using (server)
        {
            var clock = server.Services.GetRequiredService<VirtualClock>();
            var twin = server.Services.GetRequiredService<EstateTwin>();
            var simulation = server.Services.GetRequiredService<IOptions<SimulationOptions>>().Value;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"aworld twin serve: serving the twin on {server.Endpoint.GetLeftPart(UriPartial.Authority)} (seed {twin.Seed}, speed {clock.Speed}x, estate time {twin.StartTime:u}, metrics {simulation.MetricCadence.ToString().ToLowerInvariant()})"));
            await stdout.WriteLineAsync($"  AWS_ACCESS_KEY_ID={TwinCredentials.AccessKeyId}");
            await stdout.WriteLineAsync($"  AWS_SECRET_ACCESS_KEY={TwinCredentials.SecretAccessKey}");
            await stdout.WriteLineAsync("  any region; the credential scope's signing name picks the service (aworld twin serve --help lists them)");
            if (settingsFile is not null)
            {
                await TwinSettings.WriteAsync(settingsFile, server.Settings(), cancellationToken);
                await stdout.WriteLineAsync($"  settings for a console in AWS mode: {Path.GetFullPath(settingsFile)}");
            }

            await stdout.WriteLineAsync("Ctrl+C to stop.");
            await stdout.FlushAsync(cancellationToken);

            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => stopped.TrySetResult()))
            using (server.Stopping.Register(() => stopped.TrySetResult()))
            {
                await stopped.Task;
            }

            await server.StopAsync(CancellationToken.None);
            await stdout.WriteLineAsync("aworld twin serve: stopped.");
            return CliApp.Ok;
        }
    }

    private static IConfiguration ReadConfiguration(ArgumentReader reader, long? seed, double? speed, MetricCadence? cadence, TimeSpan? history)
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
        var overrides = new Dictionary<string, string?>();
        if (seed is { } n)
        {
            overrides["Simulation:Seed"] = n.ToString(CultureInfo.InvariantCulture);
        }

        if (speed is { } x)
        {
            overrides["Simulation:Speed"] = x.ToString(CultureInfo.InvariantCulture);
        }

        if (cadence is { } k)
        {
            overrides["Simulation:MetricCadence"] = k.ToString();
        }

        if (history is { } past)
        {
            overrides["Simulation:History"] = past.ToString("c", CultureInfo.InvariantCulture);
        }

        builder.AddInMemoryCollection(overrides);
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
