using System.Collections.Immutable;
using AWorld.Core.Estate;

namespace AWorld.Twin;

/// <summary>
/// The global tables' control plane: replicas, continuous backups (PITR) and restores. Backups were enabled well
/// before the run, so each replica's window is full: earliest = now − recovery period, latest = now − 5 min.
/// A restore creates a new table that is CREATING for a time proportional to the source's size.
/// </summary>
internal sealed partial class TableTwin
{
    /// <summary>DynamoDB's latest restorable time trails the present by about five minutes.</summary>
    public static readonly TimeSpan LatestRestorableLag = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan RestoreBase = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RestorePerGb = TimeSpan.FromSeconds(45);

    private readonly EstateTopology _estate;
    private readonly DateTimeOffset _created;
    private readonly Dictionary<(string Table, string Region), RestoreJob> _restores = [];

    public TableTwin(EstateTopology estate, DateTimeOffset start)
    {
        _estate = estate;
        _created = start - TimeSpan.FromDays(400);
    }

    public TableDescription Describe(string tableName, string region, DateTimeOffset now, bool regionDown)
    {
        ThrowIfDown(region, regionDown);
        var table = _estate.Tables.FirstOrDefault(t => t.Name == tableName);
        if (table is not null && table.Replicas.Contains(region))
        {
            var replicas = table.Replicas.Select(r => new ReplicaDescription(r, "ACTIVE")).ToImmutableArray();
            return new TableDescription(tableName, region, TableStatus.Active, replicas, _created, null);
        }

        if (_restores.TryGetValue((tableName, region), out var restore))
        {
            var done = now >= restore.ReadyAt;
            return new TableDescription(tableName, region, done ? TableStatus.Active : TableStatus.Creating, [], restore.CreatedAt,
                new RestoreSummary(restore.Source, region, restore.PointInTime, !done));
        }

        throw NotFound(tableName, region);
    }

    public ContinuousBackupsDescription DescribeBackups(string tableName, string region, DateTimeOffset now, bool regionDown)
    {
        ThrowIfDown(region, regionDown);
        var table = _estate.Tables.FirstOrDefault(t => t.Name == tableName && t.Replicas.Contains(region)) ?? throw NotFound(tableName, region);
        var (earliest, latest) = Window(table, now);
        return new ContinuousBackupsDescription(tableName, region, true, earliest, latest, table.PitrRecoveryPeriodDays);
    }

    /// <summary>The restore that created <paramref name="tableName"/> in <paramref name="region"/>, or null.</summary>
    public RestoreJob? Restored(string tableName, string region) => _restores.GetValueOrDefault((tableName, region));

    /// <summary>
    /// Starts a restore. <paramref name="contentAt"/> says what the source held at a moment (items, corrupt items):
    /// the restored table holds exactly the writes acknowledged up to the point in time.
    /// </summary>
    public TableDescription Restore(RestoreTableToPointInTimeRequest request, DateTimeOffset now, bool regionDown, Func<string, DateTimeOffset, (long Items, long Corrupt)>? contentAt = null)
    {
        ThrowIfDown(request.Region, regionDown);
        var table = _estate.Tables.FirstOrDefault(t => t.Name == request.SourceTableName && t.Replicas.Contains(request.Region))
            ?? throw NotFound(request.SourceTableName, request.Region);
        if (_estate.Tables.Any(t => t.Name == request.TargetTableName) || _restores.ContainsKey((request.TargetTableName, request.Region)))
        {
            throw new EstateServiceException("DynamoDB", request.Region, "TableAlreadyExistsException", $"Table already exists: {request.TargetTableName}");
        }

        var (earliest, latest) = Window(table, now);
        DateTimeOffset pointInTime;
        if (request.UseLatestRestorableTime)
        {
            pointInTime = latest;
        }
        else if (request.RestoreDateTime is { } at && at >= earliest && at <= latest)
        {
            pointInTime = at;
        }
        else
        {
            throw new EstateServiceException("DynamoDB", request.Region, "InvalidRestoreTimeException",
                $"Restore time {request.RestoreDateTime:O} is outside the restorable window {earliest:O} to {latest:O}.");
        }

        var (items, corrupt) = contentAt?.Invoke(request.SourceTableName, pointInTime) ?? (0, 0);
        var restore = new RestoreJob(request.SourceTableName, pointInTime, now, now + RestoreBase + (RestorePerGb * table.SizeGb), items, corrupt);
        _restores[(request.TargetTableName, request.Region)] = restore;
        return new TableDescription(request.TargetTableName, request.Region, TableStatus.Creating, [], now,
            new RestoreSummary(restore.Source, request.Region, pointInTime, true));
    }

    private static (DateTimeOffset Earliest, DateTimeOffset Latest) Window(GlobalTable table, DateTimeOffset now) =>
        (now - TimeSpan.FromDays(table.PitrRecoveryPeriodDays), now - LatestRestorableLag);

    private static void ThrowIfDown(string region, bool regionDown)
    {
        if (regionDown)
        {
            throw new EstateServiceException("DynamoDB", region, "ServiceUnavailable", "The service is unavailable in this region.");
        }
    }

    private static EstateServiceException NotFound(string table, string region) =>
        new("DynamoDB", region, "ResourceNotFoundException", $"Requested resource not found: Table: {table} not found");

    /// <summary>A restore: its source, point in time, timing, and the items (corrupt ones among them) it holds.</summary>
    internal sealed record RestoreJob(string Source, DateTimeOffset PointInTime, DateTimeOffset CreatedAt, DateTimeOffset ReadyAt, long Items, long CorruptItems);
}
