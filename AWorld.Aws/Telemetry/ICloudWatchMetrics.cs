using AWorld.Core.Telemetry;

namespace AWorld.Aws.Telemetry;

/// <summary>
/// CloudWatch <c>GetMetricData</c> in one region, for the adapters that read a metric besides the estate's own series
/// (client rates for throttling, synthetic clients' success for drills, request counts for the traffic share). The
/// CloudWatch client implements it: batches of at most 500 queries, <c>NextToken</c> paging, windows aligned to each
/// query's period; a result's status says when data is partial or access to it is forbidden.
/// </summary>
public interface ICloudWatchMetrics
{
    /// <exception cref="AWorld.Core.Estate.EstateServiceException">CloudWatch refused or failed the call.</exception>
    Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, CancellationToken cancellationToken);
}
