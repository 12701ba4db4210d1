using System.Text.RegularExpressions;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// Checks the countermeasure and fault options of <see cref="AwsOptions"/> (<c>Throttling</c>, <c>Scaling</c>,
/// <c>Fis</c>) at start and reports every problem at once, each naming the key, the value found and what to set.
/// </summary>
public sealed partial class AwsCountermeasuresOptionsValidator : IValidateOptions<AwsOptions>
{
    private const string S = AwsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>All problems of the countermeasure and fault options, empty when they are valid.</summary>
    public static IReadOnlyList<string> Check(AwsOptions options)
    {
        var errors = new List<string>();
        foreach (var (region, t) in options.Throttling)
        {
            CheckThrottling($"{S}:Throttling:{region}", region, t, errors);
        }

        foreach (var (region, s) in options.Scaling)
        {
            var key = $"{S}:Scaling:{region}";
            RegionKey(key, region, errors);
            Names($"{key}:Functions", s.Functions, "a Lambda function name or ARN", FunctionName(), errors);
            if (s.BaselineConcurrency < 1)
            {
                errors.Add($"{key}:BaselineConcurrency is {s.BaselineConcurrency}. Set the functions' reserved concurrency at scale 1, at least 1.");
            }
        }

        CheckFis(options.Fis, errors);
        return errors;
    }

    private static void CheckThrottling(string key, string region, AwsThrottlingOptions t, List<string> errors)
    {
        RegionKey(key, region, errors);
        Required($"{key}:RestApiId", t.RestApiId, "the id of the REST API both usage plans cover", errors);
        Required($"{key}:Stage", t.Stage, "the API stage both usage plans cover, e.g. prod", errors);
        Required($"{key}:DefaultUsagePlanId", t.DefaultUsagePlanId, "the usage plan the clients' API keys are in normally", errors);
        Required($"{key}:RestrictedUsagePlanId", t.RestrictedUsagePlanId, "the usage plan with a low rate limit a storming client is moved to", errors);
        if (!string.IsNullOrWhiteSpace(t.DefaultUsagePlanId) && t.DefaultUsagePlanId == t.RestrictedUsagePlanId)
        {
            errors.Add($"{key}:RestrictedUsagePlanId is the default plan '{t.DefaultUsagePlanId}' too. Moving a key within one plan limits nothing: use a second plan with a lower rate limit.");
        }

        Names($"{key}:Clients", t.Clients, "an API key name", null, errors);
        var m = t.ClientRateMetric;
        var mk = $"{key}:ClientRateMetric";
        Required($"{mk}:Namespace", m.Namespace, "the metric's CloudWatch namespace, e.g. AWorld/Clients", errors);
        Required($"{mk}:MetricName", m.MetricName, "the metric of a client's requests, e.g. Requests", errors);
        if (m.Stat != "Sum")
        {
            errors.Add($"{mk}:Stat is '{m.Stat}'. Use Sum: a period's value must be the client's request count, which becomes a rate divided by the period.");
        }

        if (!m.Dimensions.Values.Any(v => v.Contains("{client}", StringComparison.Ordinal)))
        {
            errors.Add($"{mk}:Dimensions has no value with {{client}}, so every client would read the same series. Name the client in a dimension, e.g. {mk}:Dimensions:Client={{client}}.");
        }

        if (m.PeriodSeconds is not (1 or 5 or 10 or 30) && (m.PeriodSeconds <= 0 || m.PeriodSeconds % 60 != 0))
        {
            errors.Add($"{mk}:PeriodSeconds is {m.PeriodSeconds}. CloudWatch periods are 1, 5, 10, 30 or a multiple of 60 seconds.");
        }

        if (!string.IsNullOrEmpty(m.Region))
        {
            RegionKey($"{mk}:Region", m.Region, errors);
        }

        var period = TimeSpan.FromSeconds(Math.Max(1, m.PeriodSeconds));
        if (t.RateWindow < period)
        {
            errors.Add($"{key}:RateWindow is {t.RateWindow}, shorter than the metric's period ({period}). Make it a few periods, e.g. 00:05:00 for 60 s periods: metrics arrive late.");
        }

        if (t.BaselineWindow < period)
        {
            errors.Add($"{key}:BaselineWindow is {t.BaselineWindow}, shorter than the metric's period ({period}). Make it long enough to hold a client's usual rate, e.g. 01:00:00.");
        }

        if (t.RefreshInterval < TimeSpan.Zero)
        {
            errors.Add($"{key}:RefreshInterval is {t.RefreshInterval}. Set 0 (read every time) or more, e.g. 00:01:00.");
        }
    }

    private static void CheckFis(AwsFisOptions fis, List<string> errors)
    {
        var key = $"{S}:Fis";
        if (fis.RefreshInterval < TimeSpan.Zero)
        {
            errors.Add($"{key}:RefreshInterval is {fis.RefreshInterval}. Set 0 (read every time) or more, e.g. 00:00:10.");
        }

        if (fis.Enabled && !fis.Templates.Values.Any(r => r.Count > 0))
        {
            errors.Add($"{key}:Enabled is true but {key}:Templates is empty, so every fault would be refused. Add a template per fault kind and region, e.g. {key}:Templates:outage:eu-west-1=EXT123, or set {key}:Enabled=false.");
        }

        foreach (var (kind, byRegion) in fis.Templates)
        {
            if (!FaultSpecParser.TryKind(kind, out _))
            {
                errors.Add($"{key}:Templates:{kind} is not a fault kind. Use outage, partition, latency, errors, throttle, flap or bad-deploy.");
                continue;
            }

            foreach (var (region, templateId) in byRegion)
            {
                RegionKey($"{key}:Templates:{kind}:{region}", region, errors);
                if (!TemplateId().IsMatch(templateId ?? ""))
                {
                    errors.Add($"{key}:Templates:{kind}:{region} is '{templateId}'. Set the id of a FIS experiment template in {region} (EXT..., at most 64 characters).");
                }
            }
        }
    }

    private static void RegionKey(string key, string region, List<string> errors)
    {
        if (!EstateOptionsValidator.IsRegionCode(region))
        {
            errors.Add($"{key}: '{region}' is not an AWS region code. Use a code such as eu-west-1.");
        }
    }

    private static void Required(string key, string? value, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} is empty. Set {what}.");
        }
    }

    private static void Names(string key, List<string> names, string what, Regex? pattern, List<string> errors)
    {
        if (names.Count == 0)
        {
            errors.Add($"{key} is empty. List at least one: {what}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var value = names[i];
            if (string.IsNullOrWhiteSpace(value) || (pattern is not null && !pattern.IsMatch(value)))
            {
                errors.Add($"{key}:{i} is '{value}'. Set {what}.");
            }
            else if (!seen.Add(value))
            {
                errors.Add($"{key}:{i} '{value}' appears twice. List each once.");
            }
        }
    }

    /// <summary>Lambda's FunctionName pattern (botocore's service model), at most 140 characters.</summary>
    [GeneratedRegex(@"^(?=.{1,140}$)(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$")]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^\S{1,64}$")]
    private static partial Regex TemplateId();
}
