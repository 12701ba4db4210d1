using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin.Serve;

/// <summary>
/// The settings a console needs to run in AWS mode against a served twin, in appsettings shape: <c>Estate:Provider=Aws</c>,
/// the estate's topology as the twin has it (regions with their health check ids, tables, health checks, the record
/// set with its hosted zone and set identifiers), and under <c>Estate:Aws</c> every service's endpoint (all the one
/// endpoint), the documented key pair, writes allowed, the table-routing parameter, canaries, the clients' success
/// metric, throttling and scaling per region, the FIS templates and the KMS key, with the option names of AWorld.Aws.
/// </summary>
public static class TwinSettings
{
    /// <summary>The SSM parameter naming the physical table a region's application uses (AwsOptions' default too).</summary>
    public const string TableRoutingParameter = "/aworld/{table}/{region}/active-table";

    /// <summary>The services whose endpoints are written: every one the AWS adapters call.</summary>
    public static readonly IReadOnlyList<string> Services = ["CloudWatch", "Route53", "DynamoDb", "Ssm", "Kms", "Fis", "ApiGateway", "Lambda", "Sts"];

    public static JsonObject Build(EstateTopology estate, TwinIdentifiers ids, Uri endpoint, int baselineConcurrency)
    {
        var url = endpoint.GetLeftPart(UriPartial.Authority);
        var regions = estate.Regions.Select(r => new JsonObject
        {
            ["Code"] = r.Code,
            ["DisplayName"] = r.DisplayName,
            ["Role"] = r.Role.ToString(),
            ["Endpoint"] = r.Endpoint,
            ["HealthCheckId"] = TwinIdentifiers.HealthCheckId(r.Code),
        });
        var tables = estate.Tables.Select(t => new JsonObject
        {
            ["Name"] = t.Name,
            ["Replicas"] = new JsonArray([.. t.Replicas.Select(r => JsonValue.Create(r))]),
            ["PitrRecoveryPeriodDays"] = t.PitrRecoveryPeriodDays,
            ["SizeGb"] = t.SizeGb,
            ["WriteShare"] = t.WriteShare,
        });
        var check = estate.HealthChecks[0];
        var records = estate.Dns.Records.Select(r =>
        {
            var record = new JsonObject { ["Region"] = r.Region, ["SetIdentifier"] = TwinIdentifiers.SetIdentifier(r.Region), ["Weight"] = r.Weight };
            if (r.FailoverRole is { } role)
            {
                record["FailoverRole"] = role.ToString();
            }

            return record;
        });

        var clientMetric = new Func<string, JsonObject>(region => new JsonObject
        {
            ["Namespace"] = ClientMetrics.Namespace,
            ["MetricName"] = ClientMetrics.Requests,
            ["Dimensions"] = new JsonObject { [ClientMetrics.RegionDimension] = region, [ClientMetrics.ClientDimension] = "{client}" },
            ["Stat"] = "Sum",
            ["PeriodSeconds"] = 60,
            ["Region"] = region,
        });
        var throttling = new JsonObject();
        var scaling = new JsonObject();
        foreach (var region in estate.Regions.Select(r => r.Code))
        {
            throttling[region] = new JsonObject
            {
                ["RestApiId"] = TwinIdentifiers.RestApiId(region),
                ["Stage"] = TwinIdentifiers.Stage,
                ["DefaultUsagePlanId"] = TwinIdentifiers.DefaultUsagePlanId(region),
                ["RestrictedUsagePlanId"] = TwinIdentifiers.RestrictedUsagePlanId(region),
                ["ClientRateMetric"] = clientMetric(region),
                ["Clients"] = new JsonArray([.. TwinIdentifiers.Clients.Select(c => JsonValue.Create(c))]),
            };
            scaling[region] = new JsonObject
            {
                ["Functions"] = new JsonArray(TwinIdentifiers.FunctionName),
                ["BaselineConcurrency"] = baselineConcurrency,
            };
        }

        var templates = new JsonObject();
        foreach (var template in FisService.Templates(estate))
        {
            var kind = TwinIdentifiers.KindName(template.Kind);
            if (templates[kind] is not JsonObject byRegion)
            {
                templates[kind] = byRegion = [];
            }

            byRegion[template.Region] = template.Id;
        }

        var aws = new JsonObject
        {
            ["AllowWrites"] = true,
            ["Endpoints"] = new JsonObject([.. Services.Select(s => KeyValuePair.Create(s, (JsonNode?)JsonValue.Create(url)))]),
            ["AccessKeyId"] = TwinCredentials.AccessKeyId,
            ["SecretAccessKey"] = TwinCredentials.SecretAccessKey,
            ["Resources"] = new JsonObject
            {
                ["ApiName"] = MetricCatalog.ApiName,
                ["FunctionName"] = MetricCatalog.FunctionName,
                ["CacheClusterName"] = MetricCatalog.CacheClusterName,
            },
            // The twin records its metrics every second (like high-resolution custom metrics), so a console reads them so.
            ["MetricPeriodSeconds"] = 1,
            ["TrafficShareWindow"] = "00:00:15",
            ["TableRoutingParameter"] = SsmService.ParameterPattern,
            ["Canaries"] = new JsonObject
            {
                ["Enabled"] = true,
                ["Table"] = estate.Tables[0].Name,
                ["KeyAttribute"] = DynamoDbService.KeyAttribute,
            },
            ["ClientSuccessMetric"] = new JsonObject
            {
                ["Namespace"] = ClientMetrics.Namespace,
                ["MetricName"] = ClientMetrics.SuccessRatio,
                ["Dimensions"] = new JsonObject(),
                ["Stat"] = "Average",
                ["PeriodSeconds"] = 60,
                ["Region"] = ClientMetrics.SuccessRegion,
            },
            ["Throttling"] = throttling,
            ["Scaling"] = scaling,
            ["Fis"] = new JsonObject { ["Enabled"] = true, ["Templates"] = templates },
            ["KmsKeyId"] = ids.KmsKeyId,
            ["KmsRegion"] = ids.KmsRegion,
        };

        return new JsonObject
        {
            ["Estate"] = new JsonObject
            {
                ["Provider"] = nameof(EstateProvider.Aws),
                ["Regions"] = new JsonArray([.. regions]),
                ["Tables"] = new JsonArray([.. tables]),
                ["HealthChecks"] = new JsonObject
                {
                    ["RequestIntervalSeconds"] = check.RequestIntervalSeconds,
                    ["FailureThreshold"] = check.FailureThreshold,
                    ["ResourcePath"] = check.ResourcePath,
                    ["CheckerLocations"] = new JsonArray([.. check.CheckerLocations.Select(l => JsonValue.Create(l))]),
                },
                ["Dns"] = new JsonObject
                {
                    ["HostedZoneId"] = ids.HostedZoneId,
                    ["RecordName"] = estate.Dns.Name,
                    ["TtlSeconds"] = estate.Dns.TtlSeconds,
                    ["RoutingPolicy"] = estate.Dns.RoutingPolicy.ToString(),
                    ["Records"] = new JsonArray([.. records]),
                },
                ["RecoveryObjectives"] = new JsonObject
                {
                    ["Rto"] = estate.Objectives.Rto.ToString("c", CultureInfo.InvariantCulture),
                    ["Rpo"] = estate.Objectives.Rpo.ToString("c", CultureInfo.InvariantCulture),
                },
                ["Aws"] = aws,
            },
        };
    }

    /// <summary>Writes the settings to <paramref name="path"/> (indented JSON), replacing the file.</summary>
    public static async Task WriteAsync(string path, JsonObject settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
    }
}
