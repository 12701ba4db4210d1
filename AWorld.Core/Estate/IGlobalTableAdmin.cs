using System.Collections.Immutable;

namespace AWorld.Core.Estate;

public enum TableStatus
{
    Creating,
    Active,
    Updating,
    Deleting,
    Inaccessible,
}

/// <summary>A replica of a global table (DynamoDB <c>ReplicaDescription</c>); status uses DynamoDB's words, e.g. ACTIVE.</summary>
public sealed record ReplicaDescription(string Region, string ReplicaStatus);

public sealed record RestoreSummary(string SourceTableName, string SourceRegion, DateTimeOffset RestoreDateTime, bool RestoreInProgress);

/// <summary>DynamoDB <c>DescribeTable</c>, reduced to what the console uses.</summary>
public sealed record TableDescription(
    string TableName,
    string Region,
    TableStatus Status,
    ImmutableArray<ReplicaDescription> Replicas,
    DateTimeOffset CreationDateTime,
    RestoreSummary? RestoreSummary);

/// <summary>DynamoDB <c>DescribeContinuousBackups</c>: the point-in-time recovery window of one replica.</summary>
public sealed record ContinuousBackupsDescription(
    string TableName,
    string Region,
    bool PointInTimeRecoveryEnabled,
    DateTimeOffset? EarliestRestorableDateTime,
    DateTimeOffset? LatestRestorableDateTime,
    int RecoveryPeriodInDays);

/// <summary>DynamoDB <c>RestoreTableToPointInTime</c>: restore into a new table in the same region.</summary>
public sealed record RestoreTableToPointInTimeRequest(
    string SourceTableName,
    string TargetTableName,
    string Region,
    DateTimeOffset? RestoreDateTime,
    bool UseLatestRestorableTime);

/// <summary>Reads and restores global tables. Shaped after the DynamoDB calls of the same names.</summary>
public interface IGlobalTableAdmin
{
    Task<TableDescription> DescribeTableAsync(string tableName, string region, CancellationToken cancellationToken);

    Task<ContinuousBackupsDescription> DescribeContinuousBackupsAsync(string tableName, string region, CancellationToken cancellationToken);

    /// <summary>Starts a restore; the returned table is <see cref="TableStatus.Creating"/> until the restore completes.</summary>
    Task<TableDescription> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken);
}
