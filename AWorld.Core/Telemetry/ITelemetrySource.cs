using System.Collections.Immutable;

namespace AWorld.Core.Telemetry;

public sealed record MetricDimension(string Name, string Value);

/// <summary>CloudWatch <c>MetricStat</c>: a metric, a period and a statistic (Sum, Average, Maximum, Minimum, p50, p99…).</summary>
public sealed record MetricStat(string Namespace, string MetricName, ImmutableArray<MetricDimension> Dimensions, int PeriodSeconds, string Stat);

public sealed record MetricDataQuery(string Id, MetricStat MetricStat);

/// <summary>
/// CloudWatch <c>GetMetricData</c> against one region's endpoint. <see cref="StartTime"/> is inclusive,
/// <see cref="EndTime"/> exclusive; results come oldest first (ScanBy TimestampAscending), timestamped at the
/// start of their period.
/// </summary>
public sealed record GetMetricDataRequest(string Region, DateTimeOffset StartTime, DateTimeOffset EndTime, IReadOnlyList<MetricDataQuery> Queries);

/// <summary>CloudWatch's <c>StatusCode</c> of one result: whether every point in the window came back.</summary>
public enum MetricDataStatus
{
    Complete,
    PartialData,
    InternalError,

    /// <summary>The caller may not read this metric (a cross-account or resource policy refused it); the result holds no data.</summary>
    Forbidden,
}

public sealed record MetricDataResult(string Id, DateTimeOffset[] Timestamps, double[] Values, MetricDataStatus StatusCode);

public sealed record GetMetricDataResponse(IReadOnlyList<MetricDataResult> Results);

/// <summary>Metric data of the estate; the twin serves its own, the AWS adapter calls CloudWatch GetMetricData.</summary>
public interface ITelemetrySource
{
    /// <exception cref="Estate.EstateServiceException">The region's metric service did not answer.</exception>
    Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken);
}
