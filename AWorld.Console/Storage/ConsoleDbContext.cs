using AWorld.Console.Accounts;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>The console's own store: accounts and the audit chain of who did what.</summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<AuditRow> AuditEntries => Set<AuditRow>();

    public DbSet<OperationRow> Operations => Set<OperationRow>();

    public DbSet<LeaseRow> Leases => Set<LeaseRow>();

    public DbSet<AnomalyAckRow> AnomalyAcks => Set<AnomalyAckRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(user =>
        {
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.UserName).HasMaxLength(64);
            user.Property(u => u.Role).HasMaxLength(16);
        });
        modelBuilder.Entity<AuditRow>(audit =>
        {
            audit.HasKey(a => a.Sequence);
            // The sequence is the chain position chosen by AuditLog, never one SQLite makes up.
            audit.Property(a => a.Sequence).ValueGeneratedNever();
            audit.Property(a => a.At).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            audit.Property(a => a.PreviousHash).HasMaxLength(64);
            audit.Property(a => a.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<OperationRow>(op =>
        {
            op.HasKey(o => o.Id);
            op.HasIndex(o => o.IsOpen);
            op.HasIndex(o => o.RequestedAtTicks);
            op.Property(o => o.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<AnomalyAckRow>(ack =>
        {
            ack.HasKey(a => a.AnomalyId);
            ack.Property(a => a.AnomalyId).HasMaxLength(256).ValueGeneratedNever();
            ack.Property(a => a.Note).HasMaxLength(AWorld.Console.Anomalies.AnomalyAcknowledgements.MaxNoteLength);
            ack.HasIndex(a => a.AtTicks);
        });
        modelBuilder.Entity<LeaseRow>(lease =>
        {
            lease.HasKey(l => l.Id);
            lease.Property(l => l.Id).ValueGeneratedNever();
        });
    }
}

/// <summary>One stored link of the audit chain (<see cref="AWorld.Core.Evidence.AuditEntry"/>); rows are only ever inserted.</summary>
public sealed class AuditRow
{
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Role { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    public required string Outcome { get; set; }

    public string? Reason { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}

/// <summary>Who acknowledged an anomaly event, when, and what they wrote; one row per event, never changed.</summary>
public sealed class AnomalyAckRow
{
    public required string AnomalyId { get; set; }

    public required string SeriesKey { get; set; }

    public required string By { get; set; }

    public required string Role { get; set; }

    public required string Note { get; set; }

    public long AtTicks { get; set; }
}
