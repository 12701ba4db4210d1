using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Estate;

/// <summary>
/// Checks the whole estate configuration at start and reports every problem at once, each naming the
/// configuration key, the value found and what to set instead.
/// </summary>
public sealed partial class EstateOptionsValidator : IValidateOptions<EstateOptions>
{
    private const string S = EstateOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EstateOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>All problems of <paramref name="options"/>, empty when it is valid.</summary>
    public static IReadOnlyList<string> Check(EstateOptions options)
    {
        var errors = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);

        if (options.Regions.Count == 0)
        {
            errors.Add($"{S}:Regions is empty. Configure at least one region, e.g. {S}:Regions:0:Code=eu-west-1.");
        }

        for (var i = 0; i < options.Regions.Count; i++)
        {
            var code = options.Regions[i].Code;
            if (!RegionCode().IsMatch(code ?? ""))
            {
                errors.Add($"{S}:Regions:{i}:Code is '{code}', which is not an AWS region code. Use a code such as eu-west-1.");
            }
            else if (!codes.Add(code!))
            {
                errors.Add($"{S}:Regions:{i}:Code '{code}' appears twice. Each region may be listed once.");
            }
        }

        if (options.Regions.Count > 0 && options.Regions.All(r => r.Role != RegionRole.Active))
        {
            errors.Add($"{S}:Regions has no region with Role=Active. At least one region must serve traffic.");
        }

        var tableNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Tables.Count; i++)
        {
            var t = options.Tables[i];
            var key = $"{S}:Tables:{i}";
            if (!TableName().IsMatch(t.Name ?? ""))
            {
                errors.Add($"{key}:Name is '{t.Name}'. A DynamoDB table name has 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'.");
            }
            else if (!tableNames.Add(t.Name!))
            {
                errors.Add($"{key}:Name '{t.Name}' appears twice. Each global table may be listed once.");
            }

            if (t.PitrRecoveryPeriodDays is < 1 or > 35)
            {
                errors.Add($"{key}:PitrRecoveryPeriodDays is {t.PitrRecoveryPeriodDays}. DynamoDB keeps 1 to 35 days of point-in-time recovery.");
            }

            if (!(t.SizeGb > 0))
            {
                errors.Add($"{key}:SizeGb is {t.SizeGb}. Give the table's size in GB as a positive number.");
            }

            if (!(t.WriteShare >= 0) || double.IsInfinity(t.WriteShare))
            {
                errors.Add($"{key}:WriteShare is {t.WriteShare}. Use a share of zero or more.");
            }

            var replicas = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < t.Replicas.Count; j++)
            {
                var replica = t.Replicas[j];
                if (!codes.Contains(replica))
                {
                    errors.Add($"{key}:Replicas:{j} is '{replica}', which is not a region of {S}:Regions. Use one of: {string.Join(", ", codes)}.");
                }
                else if (!replicas.Add(replica))
                {
                    errors.Add($"{key}:Replicas:{j} '{replica}' appears twice. A table has one replica per region.");
                }
            }
        }

        var hc = options.HealthChecks;
        if (hc.RequestIntervalSeconds is not (10 or 30))
        {
            errors.Add($"{S}:HealthChecks:RequestIntervalSeconds is {hc.RequestIntervalSeconds}. Route 53 supports 10 (fast) or 30 (standard) seconds.");
        }

        if (hc.FailureThreshold is < 1 or > 10)
        {
            errors.Add($"{S}:HealthChecks:FailureThreshold is {hc.FailureThreshold}. Route 53 accepts 1 to 10 consecutive results.");
        }

        if (string.IsNullOrWhiteSpace(hc.ResourcePath) || !hc.ResourcePath.StartsWith('/'))
        {
            errors.Add($"{S}:HealthChecks:ResourcePath is '{hc.ResourcePath}'. Give a path that starts with '/', e.g. /health.");
        }

        if (hc.CheckerLocations.Count is > 0 and < 3)
        {
            errors.Add($"{S}:HealthChecks:CheckerLocations lists {hc.CheckerLocations.Count} location(s). Route 53 needs at least 3 checker regions.");
        }

        var locations = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hc.CheckerLocations.Count; i++)
        {
            var location = hc.CheckerLocations[i];
            if (!EstateDefaults.Route53CheckerRegions.Contains(location))
            {
                errors.Add($"{S}:HealthChecks:CheckerLocations:{i} is '{location}', which is not a Route 53 checker region. Use some of: {string.Join(", ", EstateDefaults.Route53CheckerRegions)}.");
            }
            else if (!locations.Add(location))
            {
                errors.Add($"{S}:HealthChecks:CheckerLocations:{i} '{location}' appears twice.");
            }
        }

        var dns = options.Dns;
        if (dns.TtlSeconds is < 0 or > 172800)
        {
            errors.Add($"{S}:Dns:TtlSeconds is {dns.TtlSeconds}. Use 0 to 172800 seconds (60 is usual for failover records).");
        }

        if (string.IsNullOrWhiteSpace(dns.RecordName))
        {
            errors.Add($"{S}:Dns:RecordName is empty. Give the DNS name clients resolve, e.g. api.aworld.example.");
        }

        var recordRegions = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dns.Records.Count; i++)
        {
            var r = dns.Records[i];
            if (!codes.Contains(r.Region))
            {
                errors.Add($"{S}:Dns:Records:{i}:Region is '{r.Region}', which is not a region of {S}:Regions.");
            }
            else if (!recordRegions.Add(r.Region))
            {
                errors.Add($"{S}:Dns:Records:{i}:Region '{r.Region}' has two records. Give each region one record.");
            }

            if (r.Weight is < 0 or > 255)
            {
                errors.Add($"{S}:Dns:Records:{i}:Weight is {r.Weight}. Route 53 weights are 0 to 255.");
            }
        }

        if (dns.Records.Count > 0)
        {
            if (dns.RoutingPolicy == DnsRoutingPolicy.Weighted && dns.Records.All(r => r.Weight == 0))
            {
                errors.Add($"{S}:Dns:Records gives every record weight 0. Give at least one active region a weight above 0.");
            }

            if (dns.RoutingPolicy == DnsRoutingPolicy.Failover)
            {
                var primaries = dns.Records.Count(r => r.FailoverRole == FailoverRole.Primary);
                var secondaries = dns.Records.Count(r => r.FailoverRole == FailoverRole.Secondary);
                if (primaries != 1 || secondaries != 1 || dns.Records.Count != 2)
                {
                    errors.Add($"{S}:Dns:Records has {primaries} primary and {secondaries} secondary record(s) of {dns.Records.Count}. Failover routing needs exactly two records: one FailoverRole=Primary, one FailoverRole=Secondary.");
                }
            }
        }

        var ro = options.RecoveryObjectives;
        if (ro.Rto <= TimeSpan.Zero)
        {
            errors.Add($"{S}:RecoveryObjectives:Rto is {ro.Rto}. Give a positive duration, e.g. 24:00:00.");
        }

        if (ro.Rpo <= TimeSpan.Zero)
        {
            errors.Add($"{S}:RecoveryObjectives:Rpo is {ro.Rpo}. Give a positive duration, e.g. 01:00:00.");
        }

        return errors;
    }

    /// <summary>Whether <paramref name="code"/> is shaped like an AWS region code, e.g. eu-west-1.</summary>
    public static bool IsRegionCode(string? code) => RegionCode().IsMatch(code ?? "");

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$")]
    private static partial Regex RegionCode();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial Regex TableName();
}
