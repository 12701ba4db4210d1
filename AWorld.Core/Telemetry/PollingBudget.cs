using System.Collections.Immutable;

namespace AWorld.Core.Telemetry;

/// <summary>
/// Series read together in one GetMetricData call: a query region's series at one period, read every
/// <see cref="Every"/> (AWS's minute metrics once a minute, aligned; the canaries' seconds on their own interval), each
/// point final <see cref="Delay"/> after its period ends.
/// </summary>
public sealed record ReadGroup(string Region, int PeriodSeconds, bool HighResolution, TimeSpan Every, TimeSpan Delay, ImmutableArray<SeriesDefinition> Series)
{
    /// <summary>How the monitor reads <paramref name="estate"/>'s series from a source with <paramref name="timing"/>.</summary>
    public static ImmutableArray<ReadGroup> Plan(Estate.EstateTopology estate, MetricTiming timing, TelemetryOptions options) =>
    [
        .. MetricCatalog.SeriesFor(estate, timing)
            .GroupBy(s => (s.QueryRegion, s.Stat.PeriodSeconds, s.Descriptor.HighResolution))
            .Select(g => new ReadGroup(g.Key.QueryRegion, g.Key.PeriodSeconds, g.Key.HighResolution,
                g.Key.PeriodSeconds >= 60 ? TimeSpan.FromSeconds(g.Key.PeriodSeconds)
                    : g.Key.HighResolution ? options.HighResolutionPollInterval
                    : options.PollInterval > TimeSpan.FromSeconds(g.Key.PeriodSeconds) ? options.PollInterval : TimeSpan.FromSeconds(g.Key.PeriodSeconds),
                g.Key.HighResolution ? timing.HighResolutionDelay : timing.StandardDelay,
                [.. g])),
    ];
}

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

    /// <summary>The cost of reading <paramref name="groups"/>, each once per its <see cref="ReadGroup.Every"/>.</summary>
    public static PollingBudget Plan(IEnumerable<ReadGroup> groups, int requestsLastMinute = 0, int metricsLastMinute = 0, ImmutableArray<SourceStatus> sources = default)
    {
        double requests = 0, metrics = 0;
        foreach (var g in groups)
        {
            var perMinute = 60 / g.Every.TotalSeconds;
            requests += Math.Ceiling(g.Series.Length / (double)MaxQueriesPerCall) * perMinute;
            metrics += g.Series.Length * perMinute;
        }

        return new PollingBudget(requests, metrics, Monthly(metrics), requestsLastMinute, metricsLastMinute, sources.IsDefault ? [] : sources);
    }

    public static decimal Monthly(double metricsPerMinute) =>
        decimal.Round((decimal)(metricsPerMinute * MinutesPerMonth / 1000) * UsdPerThousandMetrics, 2);
}
