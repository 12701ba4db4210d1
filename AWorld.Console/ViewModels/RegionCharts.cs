using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Console.ViewModels;

public sealed record ChartDefinition(string Title, string Unit, IReadOnlyList<ChartSeries> Series);

/// <summary>The charts of the Region page, built from the metric catalog so that a new table or region just appears.</summary>
public static class RegionCharts
{
    public static IReadOnlyList<ChartDefinition> For(EstateTopology estate, string region)
    {
        ChartSeries S(EstateMetric metric, string? name = null) =>
            new(name ?? MetricCatalog.Descriptors[metric].Label, MetricCatalog.SeriesKey(region, metric));

        var replication = MetricCatalog.SeriesFor(estate)
            .Where(s => s.Region == region && s.Descriptor.Metric == EstateMetric.DynamoReplicationLatency)
            .Select(s => new ChartSeries($"{s.Table} → {s.ReceivingRegion}", s.Key))
            .ToList();

        var charts = new List<ChartDefinition>
        {
            new("API latency", "ms", [S(EstateMetric.ApiLatencyP50, "p50"), S(EstateMetric.ApiLatencyP99, "p99")]),
            new("Requests and errors", "/s", [S(EstateMetric.ApiRequests, "requests"), S(EstateMetric.Api4xx, "4xx"), S(EstateMetric.Api5xx, "5xx")]),
            new("Throttles", "/s", [S(EstateMetric.LambdaThrottles, "Lambda"), S(EstateMetric.DynamoThrottledRequests, "DynamoDB")]),
            new("DynamoDB consumed capacity", "units/s", [S(EstateMetric.DynamoReadCapacity, "read"), S(EstateMetric.DynamoWriteCapacity, "write")]),
        };
        if (replication.Count > 0)
        {
            charts.Add(new ChartDefinition("DynamoDB ReplicationLatency", "ms", replication));
        }

        charts.Add(new ChartDefinition("MemoryDB CPU", "%", [S(EstateMetric.MemoryDbCpu, "CPU")]));
        return charts;
    }
}
