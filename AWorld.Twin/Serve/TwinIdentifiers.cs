using System.Security.Cryptography;
using System.Text;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin.Serve;

/// <summary>
/// The identifiers of the served estate that only a real account has: the hosted zone, set identifiers, health check
/// ids, usage plans, API keys, the Lambda function, FIS templates and the KMS key. Each is shaped like AWS's own and
/// derived from its name in the estate (a hash), so the same estate always gets the same ids and a settings file stays
/// valid across restarts.
/// </summary>
public sealed class TwinIdentifiers
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly EstateTopology _estate;
    private readonly Dictionary<string, string> _servedToTwinHealthCheck = new(StringComparer.Ordinal);

    public TwinIdentifiers(EstateTopology estate)
    {
        _estate = estate;
        RecordName = Fqdn(estate.Dns.Name);
        var labels = estate.Dns.Name.TrimEnd('.').Split('.');
        ZoneName = Fqdn(labels.Length > 2 ? string.Join('.', labels[1..]) : estate.Dns.Name);
        HostedZoneId = "Z" + Stable("hostedzone/" + ZoneName, 20, Upper);
        KmsKeyId = Uuid("kms/evidence-signing");
        KmsRegion = estate.Regions[0].Code;
        foreach (var check in estate.HealthChecks)
        {
            _servedToTwinHealthCheck[HealthCheckId(check.Region)] = check.Id;
        }
    }

    public const string KmsAlias = "alias/aworld-evidence-signing";

    public const string Stage = "prod";

    /// <summary>Regions' API keys are served by name; tenant-01 is the busiest client.</summary>
    public static IReadOnlyList<string> Clients => ClientMetrics.Clients;

    /// <summary>The API's record name, fully qualified (with the trailing dot), e.g. <c>api.aworld.example.</c>.</summary>
    public string RecordName { get; }

    /// <summary>The hosted zone holding the record: the record name's parent, e.g. <c>aworld.example.</c>.</summary>
    public string ZoneName { get; }

    /// <summary>The hosted zone's id without the <c>/hostedzone/</c> prefix, e.g. <c>Z3M8…</c>.</summary>
    public string HostedZoneId { get; }

    public string KmsKeyId { get; }

    public string KmsRegion { get; }

    public string KmsKeyArn => $"arn:aws:kms:{KmsRegion}:{TwinCredentials.AccountId}:key/{KmsKeyId}";

    /// <summary>The Lambda function of every region (the one whose metrics the estate reads).</summary>
    public static string FunctionName => MetricCatalog.FunctionName;

    /// <summary>A record's set identifier in the weighted (or failover) record set: its region's code.</summary>
    public static string SetIdentifier(string region) => region;

    /// <summary>The Route 53 health check of a region's endpoint, a UUID like Route 53's.</summary>
    public static string HealthCheckId(string region) => Uuid("healthcheck/" + region);

    /// <summary>The twin's own id of the health check served as <paramref name="servedId"/>, or null when it is none.</summary>
    public string? TwinHealthCheckId(string servedId) => _servedToTwinHealthCheck.GetValueOrDefault(servedId);

    /// <summary>The region whose health check is served as <paramref name="servedId"/>, or null.</summary>
    public string? HealthCheckRegion(string servedId) =>
        TwinHealthCheckId(servedId) is { } id ? _estate.HealthChecks.First(h => h.Id == id).Region : null;

    public static string RestApiId(string region) => Stable("restapi/" + region, 10, Lower);

    public static string DefaultUsagePlanId(string region) => Stable("usageplan/default/" + region, 6, Lower);

    public static string RestrictedUsagePlanId(string region) => Stable("usageplan/restricted/" + region, 6, Lower);

    public static string ApiKeyId(string region, string client) => Stable($"apikey/{region}/{client}", 10, Lower);

    /// <summary>The API key's secret value (what clients send in <c>x-api-key</c>), 40 characters like API Gateway's.</summary>
    public static string ApiKeyValue(string region, string client) => Stable($"apikey-value/{region}/{client}", 40, Mixed);

    /// <summary>The FIS experiment template that injects <paramref name="kind"/> (a fault kind as the options name it, e.g. <c>bad-deploy</c>) in a region.</summary>
    public static string TemplateId(string kind, string region) => "EXT" + Stable($"fis-template/{kind}/{region}", 14, Mixed);

    /// <summary>The id of the <paramref name="number"/>th experiment started (from 1).</summary>
    public static string ExperimentId(long number) => "EXP" + Stable($"fis-experiment/{number}", 14, Mixed);

    /// <summary>The fault kinds as settings and templates name them, in <see cref="FaultKind"/> order.</summary>
    public static string KindName(FaultKind kind) => kind == FaultKind.BadDeploy ? "bad-deploy" : kind.ToString().ToLowerInvariant();

    public static string Fqdn(string name) => name.EndsWith('.') ? name : name + ".";

    private static string Stable(string name, int length, string alphabet)
    {
        var bytes = SHA512.HashData(Encoding.UTF8.GetBytes("aworld-twin/" + name));
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[bytes[i % bytes.Length] % alphabet.Length]);
        }

        return builder.ToString();
    }

    private static string Uuid(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("aworld-twin/" + name))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D");
    }
}
