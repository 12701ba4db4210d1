using System.ComponentModel.DataAnnotations;

namespace AWorld.Core.Telemetry;

/// <summary>How the estate monitor polls its sources and judges region health, bound from <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Time between two steps of the monitor (virtual time in simulation): each step publishes a snapshot and reads
    /// whatever source is due. Metrics themselves are read once per their period, at the source's <see cref="MetricTiming"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time between two reads of the high-resolution series (each read covers everything since the last).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HighResolutionPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far back the monitor reads at start (and for a new series), so that detectors are warm and charts have a
    /// past: CloudWatch keeps one-minute data for 15 days. Bounded by the series store's raw points.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "15.00:00:00")]
    public TimeSpan History { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Time between two reads of the per-checker health observations: Route 53, the fast signal.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HealthObservationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between two reads of the PITR windows.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackupsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The newest complete periods over which rates and latencies are judged: at least two periods of the source's
    /// standard series (two minutes against CloudWatch), so a single minute's noise never decides.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan HealthWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Grace beyond a series' expected arrival (its period plus its delay) before its data counts as overdue and the
    /// view says so; a missing minute counts only once it is overdue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The trailing window of the canaries' success the region's own fast signal is judged over.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan CanaryWindow { get; set; } = TimeSpan.FromSeconds(30);

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

    /// <summary>Below this share of canary writes succeeding (over <see cref="TelemetryOptions.CanaryWindow"/>) a region is Degraded.</summary>
    [Range(0, 1)]
    public double CanarySuccessDegraded { get; set; } = 0.9;

    /// <summary>Below this share of canary writes succeeding a region is Unhealthy.</summary>
    [Range(0, 1)]
    public double CanarySuccessUnhealthy { get; set; } = 0.5;
}
