using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Operations;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>An operation as stored: the whole aggregate as JSON, with the columns the queries need beside it.</summary>
public sealed class OperationRow
{
    public required string Id { get; set; }

    public required string State { get; set; }

    public bool IsOpen { get; set; }

    public bool MovesTraffic { get; set; }

    public long RequestedAtTicks { get; set; }

    public long? FinishedAtTicks { get; set; }

    public long Version { get; set; }

    public required string Json { get; set; }
}

/// <summary>The single execution lease: who holds it, its fencing token, until when.</summary>
public sealed class LeaseRow
{
    public int Id { get; set; }

    public string? Holder { get; set; }

    public long Token { get; set; }

    public long ExpiresAtTicks { get; set; }
}

/// <summary>
/// Operations in the console's database. Every save is conditional on the version read, so concurrent approvals
/// or a second executor cannot both move an operation on; the lease row is updated the same way.
/// </summary>
public sealed class EfOperationStore(IDbContextFactory<ConsoleDbContext> contexts) : IOperationStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        var stored = operation with { Version = 1 };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Operations.Add(ToRow(stored));
        await db.SaveChangesAsync(cancellationToken);
        return stored;
    }

    public async Task<Operation> SaveAsync(Operation operation, CancellationToken cancellationToken)
    {
        var stored = operation with { Version = operation.Version + 1 };
        var row = ToRow(stored);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Operations
            .Where(o => o.Id == operation.Id && o.Version == operation.Version)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.State, row.State)
                .SetProperty(o => o.IsOpen, row.IsOpen)
                .SetProperty(o => o.FinishedAtTicks, row.FinishedAtTicks)
                .SetProperty(o => o.Version, row.Version)
                .SetProperty(o => o.Json, row.Json), cancellationToken);
        return updated == 1 ? stored : throw new OperationConflictException($"{operation.Id} changed since version {operation.Version} was read.");
    }

    public async Task<Operation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Operations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return row is null ? null : FromRow(row);
    }

    public async Task<IReadOnlyList<Operation>> ListAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Operations.AsNoTracking().OrderByDescending(o => o.RequestedAtTicks).Take(count).ToListAsync(cancellationToken);
        return rows.Select(FromRow).ToList();
    }

    public async Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Operations.AsNoTracking().Where(o => o.IsOpen).ToListAsync(cancellationToken);
        return rows.Select(FromRow).ToList();
    }

    public async Task<DateTimeOffset?> LastTrafficMoveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var completed = nameof(OperationState.Completed);
        var ticks = await db.Operations.AsNoTracking()
            .Where(o => o.MovesTraffic && o.State == completed && o.FinishedAtTicks != null)
            .MaxAsync(o => o.FinishedAtTicks, cancellationToken);
        return ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    public async Task<long?> AcquireLeaseAsync(string operationId, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lease = await db.Leases.AsNoTracking().SingleOrDefaultAsync(l => l.Id == 1, cancellationToken);
        if (lease is null)
        {
            db.Leases.Add(new LeaseRow { Id = 1, Holder = operationId, Token = 1, ExpiresAtTicks = (now + ttl).UtcTicks });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return 1;
            }
            catch (DbUpdateException)
            {
                return null;
            }
        }

        var mine = lease.Holder == operationId;
        if (!mine && lease.Holder is not null && lease.ExpiresAtTicks > now.UtcTicks)
        {
            return null;
        }

        var token = mine ? lease.Token : lease.Token + 1;
        var updated = await db.Leases
            .Where(l => l.Id == 1 && l.Token == lease.Token && l.Holder == lease.Holder)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, operationId).SetProperty(l => l.Token, token).SetProperty(l => l.ExpiresAtTicks, (now + ttl).UtcTicks), cancellationToken);
        return updated == 1 ? token : null;
    }

    public async Task ReleaseLeaseAsync(string operationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Leases.Where(l => l.Id == 1 && l.Holder == operationId)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAtTicks, 0L), cancellationToken);
    }

    private static OperationRow ToRow(Operation o) => new()
    {
        Id = o.Id,
        State = o.State.ToString(),
        IsOpen = o.IsOpen,
        MovesTraffic = o.MovesTraffic,
        RequestedAtTicks = o.RequestedAt.UtcTicks,
        FinishedAtTicks = o.FinishedAt?.UtcTicks,
        Version = o.Version,
        Json = JsonSerializer.Serialize(o, Json),
    };

    private static Operation FromRow(OperationRow row) =>
        JsonSerializer.Deserialize<Operation>(row.Json, Json)! with { Version = row.Version };
}
