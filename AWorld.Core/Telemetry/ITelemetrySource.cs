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

/// <summary>
/// How a metric source delivers its data. Standard series (AWS's own service metrics) come at
/// <see cref="StandardPeriodSeconds"/> resolution and a period is final <see cref="StandardDelay"/> after it ends
/// (until then it may be missing or revised); high-resolution series (the canaries) come every second and are final
/// <see cref="HighResolutionDelay"/> after it.
/// </summary>
public sealed record MetricTiming(int StandardPeriodSeconds, TimeSpan StandardDelay, TimeSpan HighResolutionDelay)
{
    /// <summary>CloudWatch: one-minute AWS metrics, delivered one to three minutes late; high-resolution custom metrics within seconds.</summary>
    public static readonly MetricTiming CloudWatch = new(60, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(5));

    /// <summary>The twin's fast demo cadence: every series every second, final a second later.</summary>
    public static readonly MetricTiming Immediate = new(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    /// <summary>The period a series is read at: its own when high-resolution, else the standard one.</summary>
    public int PeriodOf(MetricDescriptor descriptor) => descriptor.HighResolution ? descriptor.NativePeriodSeconds : StandardPeriodSeconds;

    /// <summary>How long after its period ends a point of the series is final.</summary>
    public TimeSpan DelayOf(MetricDescriptor descriptor) => descriptor.HighResolution ? HighResolutionDelay : StandardDelay;
}

/// <summary>Metric data of the estate; the twin serves its own, the AWS adapter calls CloudWatch GetMetricData.</summary>
public interface ITelemetrySource
{
    /// <summary>How this source delivers: CloudWatch's own time unless the source says otherwise.</summary>
    MetricTiming Timing => MetricTiming.CloudWatch;

    /// <exception cref="Estate.EstateServiceException">The region's metric service did not answer.</exception>
    Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken);
}
