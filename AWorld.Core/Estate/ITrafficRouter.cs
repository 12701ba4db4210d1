namespace AWorld.Core.Estate;

/// <summary>One regional record of the API's record set as Route 53 holds it.</summary>
public sealed record TrafficRecord(string Region, int Weight, FailoverRole? FailoverRole, string HealthCheckId, int TtlSeconds);

public enum ChangeStatus
{
    Pending,
    InSync,
}

/// <summary>A submitted record change (Route 53 <c>ChangeInfo</c>): pending until every name server has it.</summary>
public sealed record ChangeInfo(string Id, ChangeStatus Status, DateTimeOffset SubmittedAt, string Comment);

public sealed record WeightChange(string Region, int Weight);

/// <summary>
/// Moves traffic between regions. Shaped after Route 53 ListResourceRecordSets, ChangeResourceRecordSets and
/// GetChange (an ARC routing-control adapter maps weights 0/non-0 to routing control states Off/On).
/// </summary>
public interface ITrafficRouter
{
    Task<IReadOnlyList<TrafficRecord>> ListRecordsAsync(CancellationToken cancellationToken);

    /// <summary>Submits new weights for the named regions in one atomic change batch.</summary>
    Task<ChangeInfo> ChangeWeightsAsync(IReadOnlyList<WeightChange> changes, string comment, CancellationToken cancellationToken);

    Task<ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken);
}
