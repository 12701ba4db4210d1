using System.Collections.Immutable;

namespace AWorld.Core.Telemetry;

/// <summary>One group of series read together: a region's CloudWatch at one period, and how its last read went.</summary>
public sealed record SourceStatus(string Region, int PeriodSeconds, int Series, DateTimeOffset? LastRead, string? Error);

/// <summary>
/// What reading the estate's metrics costs: GetMetricData requests and metrics requested a minute as planned (each
/// series once per its period) and as measured over the last minute, and the monthly CloudWatch bill that follows
/// (about $0.01 per 1,000 metrics requested). The twin costs nothing; against AWS this is the bill.
/// </summary>
public sealed record PollingBudget(
    double RequestsPerMinute,
    double MetricsPerMinute,
    decimal MonthlyUsd,
    int RequestsLastMinute,
    int MetricsLastMinute,
    ImmutableArray<SourceStatus> Sources)
{
    /// <summary>GetMetricData's price per 1,000 metrics requested (us-east-1 and most regions).</summary>
    public const decimal UsdPerThousandMetrics = 0.01m;

    /// <summary>A call carries at most this many queries.</summary>
    public const int MaxQueriesPerCall = 500;

    private const double MinutesPerMonth = 30 * 24 * 60;

    /// <summary>The plan of groups of series, each read every <c>Every</c>.</summary>
    public static PollingBudget Plan(IEnumerable<(int Series, int PeriodSeconds, TimeSpan Every)> groups, int requestsLastMinute, int metricsLastMinute, ImmutableArray<SourceStatus> sources)
    {
        double requests = 0, metrics = 0;
        foreach (var (series, _, every) in groups)
        {
            var perMinute = 60 / every.TotalSeconds;
            requests += Math.Ceiling(series / (double)MaxQueriesPerCall) * perMinute;
            metrics += series * perMinute;
        }

        return new PollingBudget(requests, metrics, Monthly(metrics), requestsLastMinute, metricsLastMinute, sources);
    }

    public static decimal Monthly(double metricsPerMinute) =>
        decimal.Round((decimal)(metricsPerMinute * MinutesPerMonth / 1000) * UsdPerThousandMetrics, 2);
}
