using System.Globalization;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws;

/// <summary>
/// What watching the estate costs in API calls: GetMetricData requests and metrics a minute (CloudWatch bills about
/// $0.01 per 1,000 metrics requested), Route 53 GetHealthCheckStatus calls a minute (free, but within the account's
/// 5 requests a second), DynamoDB DescribeContinuousBackups calls, and the monthly CloudWatch cost that follows. Stated
/// at start and by <c>aworld aws check</c>, so nobody is surprised by the bill.
/// </summary>
public sealed class AwsPollingCost
{
    /// <summary>GetMetricData's price per 1,000 metrics requested (us-east-1 and most regions).</summary>
    public const decimal UsdPerThousandMetrics = 0.01m;

    private const double MinutesPerMonth = 30 * 24 * 60;

    public AwsPollingCost(EstateTopology estate, IOptions<TelemetryOptions> telemetry)
    {
        var t = telemetry.Value;
        var series = MetricCatalog.SeriesFor(estate);
        var byRegion = series.GroupBy(s => s.QueryRegion).ToList();
        Series = series.Length;
        QueryRegions = byRegion.Count;
        PollsPerMinute = 60 / t.PollInterval.TotalSeconds;
        // One GetMetricData per query region and poll, another per 500 queries beyond the first batch.
        MetricRequestsPerMinute = byRegion.Sum(g => Math.Ceiling(g.Count() / 500.0)) * PollsPerMinute;
        MetricsPerMinute = Series * PollsPerMinute;
        HealthCheckCallsPerMinute = estate.HealthChecks.Length * (60 / t.HealthObservationInterval.TotalSeconds);
        BackupCallsPerMinute = estate.Tables.Sum(x => x.Replicas.Length) * (60 / t.BackupsInterval.TotalSeconds);
        MonthlyCloudWatchUsd = decimal.Round((decimal)(MetricsPerMinute * MinutesPerMonth / 1000) * UsdPerThousandMetrics, 2);
    }

    public int Series { get; }

    public int QueryRegions { get; }

    public double PollsPerMinute { get; }

    public double MetricRequestsPerMinute { get; }

    public double MetricsPerMinute { get; }

    public double HealthCheckCallsPerMinute { get; }

    public double BackupCallsPerMinute { get; }

    public decimal MonthlyCloudWatchUsd { get; }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Polling {Series} series in {QueryRegions} CloudWatch region(s) {PollsPerMinute:0.##} times a minute: {MetricRequestsPerMinute:0.#} GetMetricData requests and {MetricsPerMinute:N0} metrics a minute, about ${MonthlyCloudWatchUsd:N2} a month at ${UsdPerThousandMetrics} per 1,000 metrics; {HealthCheckCallsPerMinute:0.#} Route 53 GetHealthCheckStatus and {BackupCallsPerMinute:0.#} DynamoDB DescribeContinuousBackups calls a minute (free). Telemetry:PollInterval sets the pace.");
}
