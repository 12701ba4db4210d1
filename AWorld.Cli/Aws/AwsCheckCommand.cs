using System.Globalization;
using AWorld.Aws;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Cli.Aws;

/// <summary>
/// <c>aworld aws check</c>: reads the console's AWS settings, validates them, then calls each read API the console
/// uses once, through the same adapters, and says for each what it found, or what is missing or denied (naming the
/// IAM action to grant). Changes nothing in the account.
/// </summary>
public static class AwsCheckCommand
{
    public const string Example = "aworld aws check --settings appsettings.Production.json";

    private const string Help = """
        aworld aws check — check that the console can read your AWS estate, before you point it there

          --settings FILE   the console's settings (JSON, as appsettings.json); AWORLD_ environment variables are
                            read too (AWORLD_Estate__Aws__ReadRoleArn=...). Credentials come from the SDK's chain
                            (AWS_PROFILE, environment, SSO, instance role) unless Estate:Aws:AccessKeyId is set.

        Calls, once each: CloudWatch GetMetricData, Route 53 GetHealthCheckStatus and ListResourceRecordSets,
        DynamoDB DescribeTable and DescribeContinuousBackups, SSM GetParameter, and when configured KMS GetPublicKey,
        FIS ListExperiments, API Gateway usage plans, Lambda GetFunctionConcurrency. Exit 0 when every call worked,
        1 when one failed, 2 for bad arguments or settings.

        Example:
          
        """;

    private static readonly HashSet<string> ValueOptions = ["--settings"];
    private static readonly HashSet<string> FlagOptions = ["--help", "-h"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteLineAsync(Help + "  " + Example);
            return args.Length == 0 ? CliApp.BadArguments : CliApp.Ok;
        }

        if (args[0] != "check")
        {
            await stderr.WriteLineAsync($"aworld aws: unknown subcommand '{args[0]}'. Example: {Example}");
            return CliApp.BadArguments;
        }

        IConfiguration configuration;
        try
        {
            var reader = new ArgumentReader(args[1..], ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            var builder = new ConfigurationBuilder();
            if (reader.Single("--settings") is { } file)
            {
                if (!File.Exists(file))
                {
                    throw reader.Problem($"--settings '{file}' does not exist");
                }

                builder.AddJsonFile(Path.GetFullPath(file), optional: false);
            }

            builder.AddEnvironmentVariables("AWORLD_");
            configuration = builder.Build();
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld aws check: {problem.Message}");
            return CliApp.BadArguments;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            await stderr.WriteLineAsync($"aworld aws check: --settings could not be read: {ex.Message}");
            return CliApp.BadArguments;
        }

        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddAWorldCore(configuration).AddAwsEstate(configuration);
        await using var provider = services.BuildServiceProvider();
        EstateTopology estate;
        AwsOptions aws;
        try
        {
            _ = provider.GetRequiredService<IOptions<AwsEstateOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            aws = provider.GetRequiredService<IOptions<AwsOptions>>().Value;
            estate = provider.GetRequiredService<EstateTopology>();
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("aworld aws check: the settings are invalid:");
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync("  - " + failure);
            }

            return CliApp.BadArguments;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The estate configuration is invalid", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync("aworld aws check: " + ex.Message);
            return CliApp.BadArguments;
        }

        var checks = new Checks(stdout, cancellationToken);
        await stdout.WriteLineAsync($"Checking the AWS estate: regions {string.Join(", ", estate.Regions.Select(r => r.Code))}; writes {(aws.AllowWrites ? "ON (Estate:Aws:AllowWrites)" : "off (dry run)")}.");
        var telemetry = provider.GetRequiredService<ITelemetrySource>();
        foreach (var region in MetricCatalog.SeriesFor(estate, 60).GroupBy(s => s.QueryRegion))
        {
            var series = region.First();
            var end = time.GetUtcNow();
            await checks.RunAsync("cloudwatch:GetMetricData", region.Key, async ct =>
            {
                var response = await telemetry.GetMetricDataAsync(new GetMetricDataRequest(region.Key, end.AddMinutes(-15), end, [new MetricDataQuery("m0", series.Stat)]), ct);
                var result = response.Results.Count > 0 ? response.Results[0] : null;
                return result is null ? "no result" : string.Create(CultureInfo.InvariantCulture, $"{series.Descriptor.Namespace} {series.Descriptor.MetricName}: {result.Values.Length} points in the last 15 min ({result.StatusCode})");
            });
        }

        var health = provider.GetRequiredService<IHealthSource>();
        foreach (var check in estate.HealthChecks)
        {
            await checks.RunAsync("route53:GetHealthCheckStatus", check.Region, async ct =>
            {
                var observations = await health.GetHealthCheckStatusAsync(check.Id, ct);
                return $"{observations.Count} checkers, {observations.Count(o => o.Success)} see the endpoint healthy";
            });
        }

        var router = provider.GetRequiredService<ITrafficRouter>();
        await checks.RunAsync("route53:ListResourceRecordSets", "global", async ct =>
        {
            var records = await router.ListRecordsAsync(ct);
            var missing = estate.Regions.Select(r => r.Code).Except(records.Select(r => r.Region)).ToList();
            return missing.Count > 0
                ? throw new EstateServiceException("Route53", "global", "MissingRecord", $"{estate.Dns.Name} has no record for {string.Join(", ", missing)}: check Estate:Dns:Records:N:SetIdentifier.")
                : string.Join(", ", records.Select(r => $"{r.Region} weight {r.Weight}"));
        });

        var tables = provider.GetRequiredService<IGlobalTableAdmin>();
        var routing = provider.GetService<ITableRouting>();
        foreach (var table in estate.Tables)
        {
            foreach (var region in table.Replicas)
            {
                await checks.RunAsync("dynamodb:DescribeTable", region, async ct =>
                {
                    var description = await tables.DescribeTableAsync(table.Name, region, ct);
                    return $"{table.Name} {description.Status}, {description.Replicas.Length} replicas";
                });
                await checks.RunAsync("dynamodb:DescribeContinuousBackups", region, async ct =>
                {
                    var backups = await tables.DescribeContinuousBackupsAsync(table.Name, region, ct);
                    return backups.PointInTimeRecoveryEnabled
                        ? $"{table.Name} PITR from {backups.EarliestRestorableDateTime:u} to {backups.LatestRestorableDateTime:u}"
                        : throw new EstateServiceException("DynamoDB", region, "PitrDisabled", $"{table.Name} has point-in-time recovery off: restores are impossible. Turn it on (aws dynamodb update-continuous-backups).");
                });
                if (routing is not null)
                {
                    await checks.RunAsync("ssm:GetParameter", region, async ct => $"{table.Name} is served from {await routing.GetActiveTableAsync(table.Name, region, ct)}");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(aws.KmsKeyId))
        {
            var signer = provider.GetRequiredService<IEvidenceSigner>();
            await checks.RunAsync("kms:GetPublicKey", aws.KmsRegion ?? estate.Regions[0].Code, ct => Task.FromResult($"evidence signing key {signer.KeyId[..16]}…"));
        }

        if (aws.Fis.Enabled)
        {
            var faults = provider.GetRequiredService<IFaultInjector>();
            await checks.RunAsync("fis:ListExperiments", estate.Regions[0].Code, async ct => $"{(await faults.ListAsync(ct)).Count} experiments running");
        }

        if (provider.GetService<IClientThrottler>() is { } throttler)
        {
            foreach (var region in aws.Throttling.Keys)
            {
                await checks.RunAsync("apigateway:GET", region, async ct => $"{(await throttler.TopClientsAsync(region, 5, ct)).Count} clients watched");
            }
        }

        if (provider.GetService<IRegionScaler>() is { } scaler)
        {
            foreach (var region in aws.Scaling.Keys)
            {
                await checks.RunAsync("lambda:GetFunctionConcurrency", region, async ct =>
                {
                    var scale = await scaler.GetScaleAsync(region, ct);
                    return string.Create(CultureInfo.InvariantCulture, $"capacity x{scale:0.##}");
                });
            }
        }

        await stdout.WriteLineAsync(provider.GetRequiredService<AwsPollingCost>().Describe());
        await stdout.WriteLineAsync(checks.Failed == 0 ? $"All {checks.Passed} checks passed." : $"{checks.Failed} of {checks.Passed + checks.Failed} checks failed; fix them before pointing the console at this estate.");
        return checks.Failed == 0 ? CliApp.Ok : CliApp.Failed;
    }

    /// <summary>Runs checks one after the other and prints one line each.</summary>
    private sealed class Checks(TextWriter stdout, CancellationToken cancellationToken)
    {
        public int Passed { get; private set; }

        public int Failed { get; private set; }

        public async Task RunAsync(string action, string region, Func<CancellationToken, Task<string>> check)
        {
            try
            {
                var found = await check(cancellationToken);
                Passed++;
                await stdout.WriteLineAsync($"ok      {action,-36} {region,-14} {found}");
            }
            catch (EstateServiceException ex)
            {
                Failed++;
                var verdict = ex.ErrorCode is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" ? "DENIED" : "FAILED";
                await stdout.WriteLineAsync($"{verdict,-7} {action,-36} {region,-14} {ex.Message}");
            }
        }
    }
}
