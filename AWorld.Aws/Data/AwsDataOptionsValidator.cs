using Microsoft.Extensions.Options;

namespace AWorld.Aws.Data;

/// <summary>
/// Checks the keys of <see cref="AwsOptions"/> the data adapters read (table routing, canaries, clients' success,
/// the ground truth's refreshes) and reports every problem at once, each naming the key and the fix. Other adapters
/// add their own validators of the same options.
/// </summary>
public sealed class AwsDataOptionsValidator : IValidateOptions<AwsOptions>
{
    private const string S = AwsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Check(AwsOptions options)
    {
        var errors = new List<string>();
        if (!options.TableRoutingParameter.Contains("{table}", StringComparison.Ordinal))
        {
            errors.Add($"{S}:TableRoutingParameter is '{options.TableRoutingParameter}', without {{table}}: every table would share one parameter. Use e.g. /aworld/{{table}}/{{region}}/active-table.");
        }

        if (options.Canaries.Enabled && string.IsNullOrWhiteSpace(options.Canaries.KeyAttribute))
        {
            errors.Add($"{S}:Canaries:KeyAttribute is empty. Set it to the partition key's attribute name of the canary table, e.g. pk.");
        }

        if (options.Canaries.Timeout <= TimeSpan.Zero || options.Canaries.Timeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{S}:Canaries:Timeout is {options.Canaries.Timeout}. Use a time above zero and at most 00:00:30 (a drill samples once a second).");
        }

        if (options.ClientSuccessMetric is { } metric)
        {
            if (string.IsNullOrWhiteSpace(metric.Namespace) || string.IsNullOrWhiteSpace(metric.MetricName))
            {
                errors.Add($"{S}:ClientSuccessMetric needs Namespace and MetricName, e.g. CloudWatchSynthetics and SuccessPercent.");
            }

            if (metric.PeriodSeconds < 1)
            {
                errors.Add($"{S}:ClientSuccessMetric:PeriodSeconds is {metric.PeriodSeconds}. Use 1, 5, 10, 30 or a multiple of 60.");
            }
        }

        if (!(options.ClientSuccessFullScale > 0))
        {
            errors.Add($"{S}:ClientSuccessFullScale is {options.ClientSuccessFullScale}. Use 1 for a ratio metric or 100 for a percentage.");
        }

        if (options.GroundTruth.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{S}:GroundTruth:RefreshInterval is {options.GroundTruth.RefreshInterval}. Use at least 00:00:01 (CloudWatch bills every metric read).");
        }

        if (options.GroundTruth.Route53RefreshInterval < TimeSpan.FromSeconds(5))
        {
            errors.Add($"{S}:GroundTruth:Route53RefreshInterval is {options.GroundTruth.Route53RefreshInterval}. Use at least 00:00:05 (Route 53 allows 5 requests a second for the whole account).");
        }

        return errors;
    }
}
