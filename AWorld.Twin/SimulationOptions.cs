using System.ComponentModel.DataAnnotations;

namespace AWorld.Twin;

/// <summary>The twin's knobs, bound from the <c>Simulation</c> section. Defaults describe a mid-sized estate.</summary>
public sealed class SimulationOptions
{
    public const string SectionName = "Simulation";

    /// <summary>One seed makes a run reproducible: the same seed and faults give the same run, byte for byte.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Virtual seconds per real second when the twin runs live (the console); 1 is real time.</summary>
    [Range(0.1, 10_000)]
    public double Speed { get; set; } = 1;

    /// <summary>Where virtual time starts in a headless run; a live console starts at the real time.</summary>
    public DateTimeOffset StartTime { get; set; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Estate-wide request rate at the daily peak.</summary>
    [Range(1, 1_000_000)]
    public double PeakRequestsPerSecond { get; set; } = 2000;

    /// <summary>Load at the daily trough as a share of the peak.</summary>
    [Range(0.01, 1)]
    public double TroughShare { get; set; } = 0.35;

    /// <summary>Hour (UTC) of the daily peak.</summary>
    [Range(0, 23.99)]
    public double PeakHourUtc { get; set; } = 14;

    /// <summary>Requests each region serves comfortably before latency climbs (scale 1).</summary>
    [Range(1, 1_000_000)]
    public double RegionCapacityRequestsPerSecond { get; set; } = 2200;

    /// <summary>Share of successful requests that write one item to a global table.</summary>
    [Range(0, 1)]
    public double WriteShare { get; set; } = 0.2;

    /// <summary>Simulated DNS clients (stub resolvers with caches) that send the estate's traffic.</summary>
    [Range(10, 1_000_000)]
    public int ClientCount { get; set; } = 2000;

    /// <summary>Share of clients whose resolvers hold an answer longer than its TTL.</summary>
    [Range(0, 1)]
    public double StickyResolverShare { get; set; } = 0.1;

    /// <summary>How many TTLs a sticky resolver holds an answer.</summary>
    [Range(1, 100)]
    public double StickyResolverTtlMultiple { get; set; } = 5;

    /// <summary>Median delay between a write's acknowledgement and its arrival in another region.</summary>
    [Range(1, 60_000)]
    public double ReplicationMedianDelayMs { get; set; } = 450;

    /// <summary>Writes per second one replication stream (table, source, destination) can deliver, e.g. when draining a backlog.</summary>
    [Range(1, 10_000_000)]
    public double ReplicationThroughputWritesPerSecond { get; set; } = 1500;

    /// <summary>Lambda concurrency limit per region.</summary>
    [Range(1, 1_000_000)]
    public int LambdaConcurrencyLimit { get; set; } = 1000;

    /// <summary>Requests per second API Gateway allows one client (usage plan) before it answers 429.</summary>
    [Range(1, 1_000_000)]
    public double ClientRateLimitRequestsPerSecond { get; set; } = 400;

    /// <summary>How long a Route 53 record change takes to reach every name server.</summary>
    public TimeSpan DnsChangePropagation { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How the twin's CloudWatch delivers datapoints. Default <see cref="MetricCadence.CloudWatch"/>: AWS's resolutions,
    /// delivery delays, revisions and retention tiers, so the console runs on the time it will meet in a real account.
    /// <see cref="MetricCadence.Immediate"/> is the fast demo and test cadence: every second at once, an hour kept.
    /// </summary>
    public MetricCadence MetricCadence { get; set; } = MetricCadence.CloudWatch;

    /// <summary>
    /// Metric history before the start (default a day, at most 455 days): a healthy estate's minutes computed directly
    /// from the load model, as CloudWatch would hold them, so that a console starting against the twin has a past to
    /// learn from. Only the <see cref="MetricCadence.CloudWatch"/> cadence keeps it; the Immediate one keeps an hour of
    /// its own seconds and ignores this.
    /// </summary>
    public TimeSpan History { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often (real time) the live console writes the twin's state to <c>twin-state.json</c> in its data directory;
    /// it also writes it on a graceful stop and after every call that changes the estate. Headless runs never write it.
    /// </summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a restart the twin simulates the virtual time that passed while the console was down (real time × Speed),
    /// at most this much; beyond it the clock jumps forward without simulating the rest.
    /// </summary>
    public TimeSpan MaxCatchUp { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>How the twin's CloudWatch delivers what the estate published.</summary>
public enum MetricCadence
{
    /// <summary>
    /// Every series at 1-second resolution, readable as soon as its second is simulated, never revised, the last hour
    /// kept. Simple and exact: what unit tests of the twin's behaviour want.
    /// </summary>
    Immediate,

    /// <summary>
    /// Like CloudWatch: AWS's service metrics (standard resolution) at 1-minute resolution, each minute absent for 60–120 s
    /// after its end, then partial, then final by 180 s at the latest; high-resolution metrics (the canaries, the clients'
    /// metrics) at 1 second, readable 2 s after their second. Kept 3 hours at 1 second, 15 days at 1 minute, 63 days at
    /// 5 minutes and 455 days at 1 hour, with GetMetricData's rules on the period by the age of the start time.
    /// </summary>
    CloudWatch,
}
