namespace AWorld.Core.Estate;

/// <summary>The faults the estate twin can suffer (and, later, an AWS FIS experiment can cause).</summary>
public enum FaultKind
{
    /// <summary>The region's endpoint and services stop answering.</summary>
    Outage,

    /// <summary>Replication between <see cref="FaultSpec.Region"/> and <see cref="FaultSpec.PeerRegion"/> stalls.</summary>
    Partition,

    /// <summary>Every request in the region takes <see cref="FaultSpec.Magnitude"/> more milliseconds (default 800).</summary>
    Latency,

    /// <summary>A share <see cref="FaultSpec.Magnitude"/> (0–1, default 0.3) of the region's requests answer 5xx.</summary>
    Errors,

    /// <summary>One client sends <see cref="FaultSpec.Magnitude"/> times its normal rate (default 40) to the region.</summary>
    Throttle,

    /// <summary>Health-checker probes of the region fail at random with probability <see cref="FaultSpec.Magnitude"/> (default 0.5).</summary>
    Flap,

    /// <summary>
    /// A bad deploy in the region: a share <see cref="FaultSpec.Magnitude"/> (0–1, default 1) of the application's writes
    /// to its first global table are corrupt items, which replicate like any write and stay after the deploy is rolled
    /// back (the fault's end). Only a PITR restore to before the first corrupt write, then a cutover, removes them.
    /// </summary>
    BadDeploy,
}

/// <summary>
/// What to break, how hard, when and for how long. <see cref="Delay"/> is counted from the moment of injection;
/// a null <see cref="Duration"/> means until cleared.
/// </summary>
public sealed record FaultSpec(
    FaultKind Kind,
    string Region,
    string? PeerRegion = null,
    double? Magnitude = null,
    TimeSpan? Duration = null,
    TimeSpan Delay = default,
    string? Client = null)
{
    public double EffectiveMagnitude => Magnitude ?? DefaultMagnitude(Kind);

    public static double DefaultMagnitude(FaultKind kind) => kind switch
    {
        FaultKind.Latency => 800,
        FaultKind.Errors => 0.3,
        FaultKind.Throttle => 40,
        FaultKind.Flap => 0.5,
        _ => 1,
    };

    /// <summary>Checks the spec against the estate; null when valid, else a message naming the problem.</summary>
    public string? Validate(EstateTopology estate)
    {
        if (!estate.TryGetRegion(Region, out _))
        {
            return $"region '{Region}' is not in the estate (regions: {string.Join(", ", estate.Regions.Select(r => r.Code))})";
        }

        if (Kind == FaultKind.Partition)
        {
            if (PeerRegion is null || !estate.TryGetRegion(PeerRegion, out _))
            {
                return $"a partition needs two regions of the estate, e.g. eu-west-1-eu-central-1 (got peer '{PeerRegion}')";
            }

            if (PeerRegion == Region)
            {
                return "a partition needs two different regions";
            }
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            return $"duration {d} must be positive";
        }

        if (Delay < TimeSpan.Zero)
        {
            return $"start offset {Delay} must not be negative";
        }

        var m = EffectiveMagnitude;
        return Kind switch
        {
            FaultKind.Latency when m is <= 0 or > 600_000 => $"added latency {m} ms must be between 1 and 600000",
            FaultKind.Errors or FaultKind.Flap or FaultKind.BadDeploy when m is <= 0 or > 1 => $"rate {m} must be above 0 and at most 1 (100%)",
            FaultKind.Throttle when m is < 1 or > 10_000 => $"rate multiplier {m} must be between 1 and 10000",
            _ => null,
        };
    }
}

/// <summary>A fault that has been injected: scheduled, running, or over.</summary>
public sealed record ActiveFault(string Id, FaultSpec Spec, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? InjectedBy)
{
    public bool IsActiveAt(DateTimeOffset at) => at >= StartsAt && (EndsAt is null || at < EndsAt);
}

/// <summary>
/// Injects and clears faults. Shaped after AWS FIS (StartExperiment, StopExperiment, ListExperiments) so that a FIS
/// adapter can implement it later; the twin implements it now.
/// </summary>
public interface IFaultInjector
{
    Task<ActiveFault> InjectAsync(FaultSpec spec, string? injectedBy, CancellationToken cancellationToken);

    /// <summary>Ends the fault now; false when no fault has that id or it is already over.</summary>
    Task<bool> ClearAsync(string faultId, CancellationToken cancellationToken);

    /// <summary>Faults that are scheduled or running.</summary>
    Task<IReadOnlyList<ActiveFault>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Every fault injected so far, ended ones with their actual end (FIS ListExperiments in every state).</summary>
    Task<IReadOnlyList<ActiveFault>> HistoryAsync(CancellationToken cancellationToken);
}
