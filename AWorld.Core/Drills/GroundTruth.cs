namespace AWorld.Core.Drills;

/// <summary>
/// What really happens in the estate, as a drill measures it: clients' success, canary writes and what each region
/// holds of the others', regions lost, writes lost, and the tables the application uses. The twin knows it exactly;
/// against AWS it comes from synthetic clients and a canary writer per region. Drills read it only through this port,
/// never through an adapter's own types.
/// </summary>
public interface IGroundTruth
{
    /// <summary>The truth at the estate clock's present (one sample a second during a drill).</summary>
    Task<EstateTruth> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The truth of a table created by a point-in-time restore, or null when the region has no such table.</summary>
    Task<RestoredTableTruth?> RestoredTableAsync(string tableName, string region, CancellationToken cancellationToken);
}

/// <summary>The estate's ground truth at one moment.</summary>
public sealed record EstateTruth(
    DateTimeOffset At,
    IReadOnlyList<RegionTruth> Regions,
    IReadOnlyList<PairTruth> Pairs,
    WriteTotals Writes,
    ClientTruth Clients,
    CanaryTruth Canaries,
    IReadOnlyList<TableTruth> Tables)
{
    public RegionTruth Region(string code) => Regions.First(r => r.Code == code);
}

/// <summary>
/// One region's truth: the share of client traffic sent to it (whether or not it answers), its record weight,
/// Route 53's overall view, whether it is down, and its writes that no other region has yet.
/// </summary>
public sealed record RegionTruth(string Code, double TrafficShare, int Weight, bool Route53Healthy, double Route53PercentHealthy, bool Down, long UnreplicatedWrites, TimeSpan OldestUnreplicatedAge);

/// <summary>Replication lag from one region to another; <see cref="SourceDown"/> when the sender is lost.</summary>
public sealed record PairTruth(string From, string To, double LagMs, bool SourceDown);

/// <summary>Write totals: acknowledged = replicated (reached another region) + lost + pending.</summary>
public sealed record WriteTotals(long Acknowledged, long Replicated, long Lost, long Pending);

/// <summary>Requests clients sent, those that failed, and the success ratio of the last second.</summary>
public sealed record ClientTruth(long Requests, long Failed, double LastSecondSuccessRatio);

/// <summary>
/// The canary writers' truth: each region writes one sequence-numbered canary item a second into its canary table
/// while it accepts writes; each (source, receiver) pair says the newest canary of the source the receiver holds.
/// </summary>
public sealed record CanaryTruth(IReadOnlyList<CanaryRegionTruth> Regions, IReadOnlyList<CanaryPairTruth> Pairs)
{
    public CanaryRegionTruth Region(string code) => Regions.First(r => r.Code == code);

    /// <summary>The newest canary of <paramref name="from"/> that <paramref name="to"/> holds (0 when none, or no such pair).</summary>
    public long Received(string from, string to) => Pairs.FirstOrDefault(p => p.From == from && p.To == to)?.LastReceivedSequence ?? 0;
}

/// <summary>A region's canary writer: its table, newest acknowledged sequence and when, and canaries lost when the region failed.</summary>
public sealed record CanaryRegionTruth(string Code, string Table, long LastSequence, DateTimeOffset? LastAcknowledgedAt, long Lost);

public sealed record CanaryPairTruth(string From, string To, long LastReceivedSequence);

/// <summary>
/// A global table's truth: items written during the run (all regions), corrupt items written by bad deploys and the
/// first one's acknowledgement time, and for each region the physical table its application uses and the corrupt
/// items in it.
/// </summary>
public sealed record TableTruth(string Table, long Items, long CorruptWrites, DateTimeOffset? FirstCorruptWriteAt, IReadOnlyList<ActiveTableTruth> ActiveTables);

public sealed record ActiveTableTruth(string Region, string PhysicalTable, long CorruptItems);

/// <summary>
/// A restored table's truth: the point in time it was restored to, whether it is ready, the items and corrupt items it
/// holds from the restore, corrupt items written into it after a cutover, and the items the source had acknowledged
/// up to the point in time (what it should hold).
/// </summary>
public sealed record RestoredTableTruth(
    string Table,
    string Region,
    string Source,
    DateTimeOffset PointInTime,
    bool Ready,
    long Items,
    long CorruptItems,
    long CorruptWrittenAfterCutover,
    long ExpectedItems);
