using System.Collections.Immutable;
using AWorld.Core.Estate;

namespace AWorld.Core.Telemetry;

/// <summary>The metrics the console reads from every region, each a CloudWatch metric with a fixed statistic.</summary>
public enum EstateMetric
{
    ApiRequests,
    ApiLatencyP50,
    ApiLatencyP99,
    Api4xx,
    Api5xx,
    LambdaDuration,
    LambdaErrors,
    LambdaThrottles,
    LambdaConcurrency,
    DynamoReadCapacity,
    DynamoWriteCapacity,
    DynamoThrottledRequests,
    DynamoReplicationLatency,
    MemoryDbCpu,
    MemoryDbMemory,
    MemoryDbConnections,
    Route53HealthCheckStatus,
    Route53PercentageHealthy,
    CanarySuccess,
    CanaryLatency,
}

public enum ServiceKind
{
    ApiGateway,
    Lambda,
    DynamoDb,
    MemoryDb,
    Route53,
    Canary,
}

/// <summary>
/// How a metric maps onto CloudWatch, and how people read it. <see cref="NativePeriodSeconds"/> is its resolution:
/// 60 for AWS's own service metrics (standard resolution: one datapoint a minute, delivered minutes late), 1 for the
/// canaries, published as high-resolution custom metrics.
/// </summary>
public sealed record MetricDescriptor(EstateMetric Metric, ServiceKind Service, string Namespace, string MetricName, string Stat, string Unit, string Label, int NativePeriodSeconds = 60)
{
    public bool HighResolution => NativePeriodSeconds < 60;
}

/// <summary>
/// One series of the estate: a metric of a region, with its qualifier (table and receiving region for
/// ReplicationLatency). <see cref="QueryRegion"/> is the CloudWatch endpoint it is read from: the region itself,
/// except Route 53 metrics, which CloudWatch keeps in us-east-1.
/// </summary>
public sealed record SeriesDefinition(string Key, string Region, MetricDescriptor Descriptor, string QueryRegion, MetricStat Stat, string? Table, string? ReceivingRegion);

/// <summary>The metric names and resources of the estate, and the list of series they make for a topology.</summary>
public static class MetricCatalog
{
    public const string ApiName = "aworld-api";
    public const string FunctionName = "aworld-api-handler";
    public const string CacheClusterName = "aworld-cache";
    public const string Route53MetricsRegion = "us-east-1";

    /// <summary>The canaries' high-resolution custom metrics: each region's canary write, every second.</summary>
    public const string CanaryNamespace = "AWorld/Canary";

    public static readonly ImmutableDictionary<EstateMetric, MetricDescriptor> Descriptors = new MetricDescriptor[]
    {
        new(EstateMetric.ApiRequests, ServiceKind.ApiGateway, "AWS/ApiGateway", "Count", "Sum", "Count", "Requests"),
        new(EstateMetric.ApiLatencyP50, ServiceKind.ApiGateway, "AWS/ApiGateway", "Latency", "p50", "Milliseconds", "Latency p50"),
        new(EstateMetric.ApiLatencyP99, ServiceKind.ApiGateway, "AWS/ApiGateway", "Latency", "p99", "Milliseconds", "Latency p99"),
        new(EstateMetric.Api4xx, ServiceKind.ApiGateway, "AWS/ApiGateway", "4XXError", "Sum", "Count", "4xx errors"),
        new(EstateMetric.Api5xx, ServiceKind.ApiGateway, "AWS/ApiGateway", "5XXError", "Sum", "Count", "5xx errors"),
        new(EstateMetric.LambdaDuration, ServiceKind.Lambda, "AWS/Lambda", "Duration", "Average", "Milliseconds", "Lambda duration"),
        new(EstateMetric.LambdaErrors, ServiceKind.Lambda, "AWS/Lambda", "Errors", "Sum", "Count", "Lambda errors"),
        new(EstateMetric.LambdaThrottles, ServiceKind.Lambda, "AWS/Lambda", "Throttles", "Sum", "Count", "Lambda throttles"),
        new(EstateMetric.LambdaConcurrency, ServiceKind.Lambda, "AWS/Lambda", "ConcurrentExecutions", "Maximum", "Count", "Lambda concurrency"),
        new(EstateMetric.DynamoReadCapacity, ServiceKind.DynamoDb, "AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", "Count", "Consumed RCU"),
        new(EstateMetric.DynamoWriteCapacity, ServiceKind.DynamoDb, "AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", "Count", "Consumed WCU"),
        new(EstateMetric.DynamoThrottledRequests, ServiceKind.DynamoDb, "AWS/DynamoDB", "ThrottledRequests", "Sum", "Count", "Throttled requests"),
        new(EstateMetric.DynamoReplicationLatency, ServiceKind.DynamoDb, "AWS/DynamoDB", "ReplicationLatency", "Average", "Milliseconds", "Replication latency"),
        new(EstateMetric.MemoryDbCpu, ServiceKind.MemoryDb, "AWS/MemoryDB", "CPUUtilization", "Average", "Percent", "MemoryDB CPU"),
        new(EstateMetric.MemoryDbMemory, ServiceKind.MemoryDb, "AWS/MemoryDB", "DatabaseMemoryUsagePercentage", "Average", "Percent", "MemoryDB memory"),
        new(EstateMetric.MemoryDbConnections, ServiceKind.MemoryDb, "AWS/MemoryDB", "CurrConnections", "Average", "Count", "MemoryDB connections"),
        new(EstateMetric.Route53HealthCheckStatus, ServiceKind.Route53, "AWS/Route53", "HealthCheckStatus", "Minimum", "None", "Route 53 status"),
        new(EstateMetric.Route53PercentageHealthy, ServiceKind.Route53, "AWS/Route53", "HealthCheckPercentageHealthy", "Average", "Percent", "Checkers healthy"),
        new(EstateMetric.CanarySuccess, ServiceKind.Canary, CanaryNamespace, "WriteSuccess", "Average", "Ratio", "Canary writes succeeding", 1),
        new(EstateMetric.CanaryLatency, ServiceKind.Canary, CanaryNamespace, "WriteLatency", "Average", "Milliseconds", "Canary write latency", 1),
    }.ToImmutableDictionary(d => d.Metric);

    /// <summary>
    /// Every series of <paramref name="estate"/>, in a stable order: at each metric's own resolution, or at the given
    /// period.
    /// </summary>
    public static ImmutableArray<SeriesDefinition> SeriesFor(EstateTopology estate, int? periodSeconds = null)
    {
        var list = ImmutableArray.CreateBuilder<SeriesDefinition>();
        foreach (var region in estate.Regions)
        {
            foreach (var d in Descriptors.Values.OrderBy(d => d.Metric))
            {
                var period = periodSeconds ?? d.NativePeriodSeconds;
                switch (d.Service)
                {
                    case ServiceKind.DynamoDb when d.Metric == EstateMetric.DynamoReplicationLatency:
                        foreach (var table in estate.Tables.Where(t => t.Replicas.Contains(region.Code)))
                        {
                            foreach (var receiver in table.Replicas.Where(r => r != region.Code))
                            {
                                list.Add(Define(region.Code, d, region.Code, period, table.Name, receiver,
                                    new MetricDimension("TableName", table.Name), new MetricDimension("ReceivingRegion", receiver)));
                            }
                        }

                        break;
                    case ServiceKind.DynamoDb:
                        // Capacity and throttling are summed over the region's tables by the statistic's period;
                        // the console reads them per region, so they carry no table dimension here.
                        list.Add(Define(region.Code, d, region.Code, period, null, null));
                        break;
                    case ServiceKind.ApiGateway:
                        list.Add(Define(region.Code, d, region.Code, period, null, null, new MetricDimension("ApiName", ApiName)));
                        break;
                    case ServiceKind.Lambda:
                        list.Add(Define(region.Code, d, region.Code, period, null, null, new MetricDimension("FunctionName", FunctionName)));
                        break;
                    case ServiceKind.MemoryDb:
                        list.Add(Define(region.Code, d, region.Code, period, null, null, new MetricDimension("ClusterName", CacheClusterName)));
                        break;
                    case ServiceKind.Canary:
                        list.Add(Define(region.Code, d, region.Code, period, null, null, new MetricDimension("Region", region.Code)));
                        break;
                    case ServiceKind.Route53:
                        list.Add(Define(region.Code, d, Route53MetricsRegion, period, null, null,
                            new MetricDimension("HealthCheckId", EstateTopology.HealthCheckId(region.Code))));
                        break;
                }
            }
        }

        return list.ToImmutable();
    }

    /// <summary>Every series of <paramref name="estate"/> at the periods a source with <paramref name="timing"/> serves.</summary>
    public static ImmutableArray<SeriesDefinition> SeriesFor(EstateTopology estate, MetricTiming timing) =>
        [.. SeriesFor(estate).Select(s => s with { Stat = s.Stat with { PeriodSeconds = timing.PeriodOf(s.Descriptor) } })];

    public static string SeriesKey(string region, EstateMetric metric, string? table = null, string? receivingRegion = null) =>
        table is null ? $"{region}/{metric}" : $"{region}/{metric}/{table}/{receivingRegion}";

    /// <summary>A stable text key of a metric statistic, used to match queries to the metrics a source keeps.</summary>
    public static string StatKey(MetricStat stat) =>
        $"{stat.Namespace}|{stat.MetricName}|{stat.Stat}|{string.Join(';', stat.Dimensions.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => d.Name + "=" + d.Value))}";

    private static SeriesDefinition Define(string region, MetricDescriptor d, string queryRegion, int period, string? table, string? receiver, params MetricDimension[] dimensions) =>
        new(SeriesKey(region, d.Metric, table, receiver), region, d, queryRegion,
            new MetricStat(d.Namespace, d.MetricName, [.. dimensions], period, d.Stat), table, receiver);
}
