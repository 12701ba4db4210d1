using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws;

/// <summary>
/// Checks <c>Estate:Aws</c> at start and reports every problem at once, each naming its key and what to set instead:
/// endpoints that are absolute http(s) URLs, a key pair that is whole, role ARNs, sensible timeouts, retries and rates,
/// and per-region settings that name regions of the estate. The data and countermeasure settings have validators of
/// their own, beside their adapters.
/// </summary>
public sealed class AwsOptionsValidator(IOptions<EstateOptions> estate) : IValidateOptions<AwsOptions>
{
    private const string S = AwsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = new List<string>();
        var regions = estate.Value.Regions.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var (service, url) in options.Endpoints)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"{S}:Endpoints:{service} is '{url}'. Give an absolute http(s) URL, e.g. http://127.0.0.1:4566, or remove it to use AWS's endpoint.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.AccessKeyId) != string.IsNullOrWhiteSpace(options.SecretAccessKey))
        {
            errors.Add($"{S}:AccessKeyId and {S}:SecretAccessKey go together: set both (a test endpoint, the served twin) or neither (the SDK's credential chain).");
        }

        foreach (var (key, arn) in new[] { ("ReadRoleArn", options.ReadRoleArn), ("WriteRoleArn", options.WriteRoleArn) })
        {
            if (!string.IsNullOrWhiteSpace(arn) && !arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                errors.Add($"{S}:{key} is '{arn}', which is not a role ARN. Use arn:aws:iam::123456789012:role/aworld-console-{(key.StartsWith('R') ? "read" : "write")}.");
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:Timeout is {options.Timeout}. Give 00:00:01 to 00:05:00, e.g. 00:00:10.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{S}:MaxRetries is {options.MaxRetries}. Give 0 to 10, e.g. 3.");
        }

        if (options.BaseBackoff <= TimeSpan.Zero || options.MaxBackoff < options.BaseBackoff)
        {
            errors.Add($"{S}:BaseBackoff ({options.BaseBackoff}) must be positive and at most {S}:MaxBackoff ({options.MaxBackoff}).");
        }

        if (options.TrafficShareWindow < TimeSpan.FromSeconds(Math.Max(1, options.MetricPeriodSeconds)))
        {
            errors.Add($"{S}:TrafficShareWindow ({options.TrafficShareWindow}) is shorter than one period of {S}:MetricPeriodSeconds ({options.MetricPeriodSeconds} s), so it would hold no data. E.g. 00:05:00.");
        }

        if (options.Route53RequestsPerSecond is <= 0 or > 5)
        {
            errors.Add($"{S}:Route53RequestsPerSecond is {options.Route53RequestsPerSecond}. Route 53 allows 5 requests a second per account, shared with every caller: give more than 0 and at most 5, e.g. 2.");
        }

        if (options.Canaries.Table is { } canaryTable && !estate.Value.Tables.Any(t => t.Name == canaryTable) && estate.Value.Tables.Count > 0)
        {
            errors.Add($"{S}:Canaries:Table is '{canaryTable}', which is not a table of Estate:Tables.");
        }

        foreach (var region in options.Throttling.Keys.Concat(options.Scaling.Keys).Where(r => regions.Count > 0 && !regions.Contains(r)).Distinct())
        {
            errors.Add($"{S}:Throttling or {S}:Scaling names region '{region}', which is not a region of Estate:Regions ({string.Join(", ", regions)}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// Checks the estate keys only a real account has (<c>Estate:Dns:HostedZoneId</c>, each record's set identifier and
/// each region's health check id) once <c>Estate:Provider</c> is Aws: without them the console cannot read the record
/// set or the health checks it is meant to watch.
/// </summary>
public sealed class AwsEstateOptionsValidator(IOptions<EstateOptions> estate) : IValidateOptions<AwsEstateOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsEstateOptions options)
    {
        var errors = new List<string>();
        var e = estate.Value;
        if (string.IsNullOrWhiteSpace(options.Dns.HostedZoneId))
        {
            errors.Add("Estate:Dns:HostedZoneId is empty. Give the id of the hosted zone that holds the API's record set, e.g. Z0123456789ABCDEFGHIJ (Route 53 console, or aws route53 list-hosted-zones).");
        }

        for (var i = 0; i < e.Regions.Count; i++)
        {
            var code = e.Regions[i].Code;
            var region = options.Regions.FirstOrDefault(r => r.Code == code);
            if (string.IsNullOrWhiteSpace(region?.HealthCheckId))
            {
                errors.Add($"Estate:Regions:{i}:HealthCheckId is empty for {code}. Give the id of the Route 53 health check of its endpoint (aws route53 list-health-checks).");
            }

            var record = options.Dns.Records.FirstOrDefault(r => r.Region == code);
            if (string.IsNullOrWhiteSpace(record?.SetIdentifier))
            {
                var index = e.Dns.Records.FindIndex(r => r.Region == code);
                errors.Add($"Estate:Dns:Records:{(index < 0 ? "N" : index.ToString(System.Globalization.CultureInfo.InvariantCulture))}:SetIdentifier is empty for {code}. Give the set identifier of its record in {e.Dns.RecordName} (aws route53 list-resource-record-sets), with Estate:Dns:Records:N:Region={code}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
