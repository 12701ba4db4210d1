using System.ComponentModel.DataAnnotations;

namespace AWorld.Core.Telemetry;

/// <summary>How the estate monitor polls its sources and judges region health, bound from <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Time between two polls of the metric source (virtual time in simulation).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How late a metric point may arrive after its timestamp. Each poll asks again for this much before the end of
    /// the previous one, so late points are not skipped (the store ignores the ones it already has). CloudWatch
    /// publishes a minute or more late; the twin up to a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan MetricLateness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between two reads of the per-checker health observations.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HealthObservationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between two reads of the PITR windows.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackupsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Trailing window over which rates and latencies are judged.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan HealthWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Data older than this is shown with its age and no longer counts as current.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Minimum gap between two notifications of one subscriber of the state stream.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public HealthThresholds Thresholds { get; set; } = new();

    public SeriesStoreOptions Store { get; set; } = new();
}

/// <summary>Where a signal turns a region Degraded or Unhealthy.</summary>
public sealed class HealthThresholds
{
    [Range(0, 1)]
    public double ErrorRateDegraded { get; set; } = 0.02;

    [Range(0, 1)]
    public double ErrorRateUnhealthy { get; set; } = 0.15;

    [Range(1, 600_000)]
    public double LatencyP99DegradedMs { get; set; } = 1000;

    [Range(1, 600_000)]
    public double LatencyP99UnhealthyMs { get; set; } = 5000;

    /// <summary>Share of requests answered 4xx (API Gateway 429 throttling among them) that marks a region Degraded.</summary>
    [Range(0, 1)]
    public double ClientErrorRateDegraded { get; set; } = 0.1;

    /// <summary>Share of requests throttled by Lambda or DynamoDB that marks a region Degraded.</summary>
    [Range(0, 1)]
    public double ThrottleRateDegraded { get; set; } = 0.05;

    /// <summary>Below this share of healthy Route 53 checkers a still-healthy endpoint counts as Degraded.</summary>
    [Range(0, 100)]
    public double CheckersHealthyDegradedPercent { get; set; } = 50;
}
