using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Telemetry;

/// <summary>
/// The monitor's metric queries (<see cref="MetricCatalog"/>) read from CloudWatch in the region each request names
/// (Route 53's in us-east-1, where CloudWatch keeps them). The catalog speaks of the estate by its own names; the
/// account's are configured: <c>ApiName</c>, <c>FunctionName</c> and <c>ClusterName</c> become
/// <see cref="AwsOptions.Resources"/>' names, a health check's <c>hc-{region}</c> the region's
/// <see cref="AwsRegionOptions.HealthCheckId"/>. AWS's own metrics are read at no less than
/// <see cref="AwsOptions.MetricPeriodSeconds"/>; the canaries' high-resolution custom metrics at their own second.
/// Results keep the ids of the queries.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class CloudWatchTelemetrySource : ITelemetrySource
{
    private readonly ICloudWatchMetrics _metrics;
    private readonly AwsResourceNames _names;
    private readonly int _minimumPeriod;
    private readonly Dictionary<string, string> _healthChecks;

    public CloudWatchTelemetrySource(ICloudWatchMetrics metrics, IOptions<AwsOptions> options, IOptions<AwsEstateOptions> estate)
    {
        _metrics = metrics;
        _names = options.Value.Resources;
        _minimumPeriod = Math.Max(1, options.Value.MetricPeriodSeconds);
        _healthChecks = estate.Value.Regions
            .Where(r => !string.IsNullOrWhiteSpace(r.Code) && !string.IsNullOrWhiteSpace(r.HealthCheckId))
            .ToDictionary(r => EstateTopology.HealthCheckId(r.Code), r => r.HealthCheckId, StringComparer.Ordinal);
    }

    /// <summary>CloudWatch's own time: AWS metrics at the configured period, one to three minutes late.</summary>
    public MetricTiming Timing => MetricTiming.CloudWatch with { StandardPeriodSeconds = _minimumPeriod };

    /// <exception cref="EstateServiceException">CloudWatch in the request's region refused or failed the call.</exception>
    public async Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken)
    {
        var queries = request.Queries.Select(q => q with { MetricStat = ToAccount(q.MetricStat) }).ToList();
        var results = await _metrics.GetMetricDataAsync(request.Region, request.StartTime, request.EndTime, queries, cancellationToken);
        return new GetMetricDataResponse(results);
    }

    /// <summary>The statistic as CloudWatch knows it in this account: its dimension values and a period it can serve.</summary>
    internal MetricStat ToAccount(MetricStat stat) => stat with
    {
        Dimensions = [.. stat.Dimensions.Select(ToAccount)],
        PeriodSeconds = stat.Namespace == MetricCatalog.CanaryNamespace ? stat.PeriodSeconds : Math.Max(stat.PeriodSeconds, _minimumPeriod),
    };

    private MetricDimension ToAccount(MetricDimension dimension) => dimension switch
    {
        { Name: "ApiName", Value: MetricCatalog.ApiName } => dimension with { Value = _names.ApiName },
        { Name: "FunctionName", Value: MetricCatalog.FunctionName } => dimension with { Value = _names.FunctionName },
        { Name: "ClusterName", Value: MetricCatalog.CacheClusterName } => dimension with { Value = _names.CacheClusterName },

        // A region without a configured id keeps the topology's: CloudWatch has no data for it and the view shows it stale.
        { Name: "HealthCheckId" } when _healthChecks.TryGetValue(dimension.Value, out var id) => dimension with { Value = id },
        _ => dimension,
    };
}
