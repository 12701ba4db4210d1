using System.ComponentModel.DataAnnotations;

namespace AWorld.Core.Operations;

/// <summary>The guarded path's limits, bound from <c>Operations</c>.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>A request not approved within this time expires; an approval not acted on within it lapses.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No traffic move within this time after the last one, against flapping.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the executor waits for a step's effect (DNS in sync, traffic gone, table active) before it fails the step.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// How long a PITR restore may take to become ACTIVE before the restore fails. DynamoDB restores take from minutes
    /// to hours with the table's size, so they get their own limit. Default 6 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "2.00:00:00")]
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A region counts as drained when it serves at most this share of the estate's requests.</summary>
    [Range(0, 0.5)]
    public double DrainedShare { get; set; } = 0.01;

    /// <summary>Extra resolver lag beyond the TTL that the RTO prediction assumes (some resolvers hold answers longer).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ResolverLag { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>How long Route 53 takes to apply a record change everywhere.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DnsPropagation { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Automatic failover when independent signals agree a region is down and every rule holds.</summary>
    public bool AutoFailover { get; set; } = true;

    /// <summary>A client sending more than this multiple of its usual rate is throttled.</summary>
    [Range(2, 1000)]
    public double ThrottleAtMultiple { get; set; } = 10;

    /// <summary>A throttled client's limit, as a multiple of its usual rate (never below it: the client still works).</summary>
    [Range(1, 100)]
    public double ThrottleToMultiple { get; set; } = 2;

    /// <summary>A region serving more than this multiple of its usual request rate for a minute is scaled out.</summary>
    [Range(1.1, 100)]
    public double ScaleOutAtLoadMultiple { get; set; } = 1.6;

    /// <summary>Each scale-out multiplies capacity by this, up to <see cref="MaxScale"/>.</summary>
    [Range(1.1, 10)]
    public double ScaleOutStep { get; set; } = 1.5;

    [Range(1, 100)]
    public double MaxScale { get; set; } = 3;

    /// <summary>How long a region must look down on every signal before the ladder acts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AutoFailoverAfter { get; set; } = TimeSpan.FromSeconds(60);
}
