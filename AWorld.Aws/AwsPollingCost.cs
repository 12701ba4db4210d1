using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws;

/// <summary>
/// What watching the estate costs in API calls: GetMetricData requests and metrics a minute as the monitor plans them
/// (<see cref="ReadGroup.Plan"/>: each series once per its period; CloudWatch bills about $0.01 per 1,000 metrics
/// requested), Route 53 GetHealthCheckStatus calls a minute (free, but within the account's 5 requests a second),
/// DynamoDB DescribeContinuousBackups calls, and the monthly CloudWatch cost that follows. Stated at start and by
/// <c>aworld aws check</c>, so nobody is surprised by the bill.
/// </summary>
public sealed class AwsPollingCost
{
    public AwsPollingCost(EstateTopology estate, IOptions<TelemetryOptions> telemetry, IOptions<AwsOptions> aws)
    {
        var t = telemetry.Value;
        var groups = ReadGroup.Plan(estate, MetricTiming.CloudWatch with { StandardPeriodSeconds = Math.Max(1, aws.Value.MetricPeriodSeconds) }, t);
        Metrics = PollingBudget.Plan(groups);
        Series = groups.Sum(g => g.Series.Length);
        HighResolutionSeries = groups.Where(g => g.HighResolution).Sum(g => g.Series.Length);
        QueryRegions = groups.Select(g => g.Region).Distinct(StringComparer.Ordinal).Count();
        HealthCheckCallsPerMinute = estate.HealthChecks.Length * (60 / t.HealthObservationInterval.TotalSeconds);
        BackupCallsPerMinute = estate.Tables.Sum(x => x.Replicas.Length) * (60 / t.BackupsInterval.TotalSeconds);
    }

    /// <summary>GetMetricData requests and metrics a minute, and the monthly bill.</summary>
    public PollingBudget Metrics { get; }

    public int Series { get; }

    /// <summary>Of <see cref="Series"/>, the canaries' one-second custom metrics, read every <see cref="TelemetryOptions.HighResolutionPollInterval"/>.</summary>
    public int HighResolutionSeries { get; }

    public int QueryRegions { get; }

    public double HealthCheckCallsPerMinute { get; }

    public double BackupCallsPerMinute { get; }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Reading {Series} series ({HighResolutionSeries} of them high-resolution canary metrics) in {QueryRegions} CloudWatch region(s), each once per its period: {Metrics.RequestsPerMinute:0.#} GetMetricData requests and {Metrics.MetricsPerMinute:N0} metrics a minute, about ${Metrics.MonthlyUsd:N2} a month at ${PollingBudget.UsdPerThousandMetrics} per 1,000 metrics; {HealthCheckCallsPerMinute:0.#} Route 53 GetHealthCheckStatus and {BackupCallsPerMinute:0.#} DynamoDB DescribeContinuousBackups calls a minute (free). Telemetry:HighResolutionPollInterval sets the canaries' pace.");
}
