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
