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

    public DbSet<DrillRunRow> Drills => Set<DrillRunRow>();

    public DbSet<DrillScheduleRow> DrillSchedules => Set<DrillScheduleRow>();

    public DbSet<EvidencePackRow> EvidencePacks => Set<EvidencePackRow>();

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
        modelBuilder.Entity<DrillRunRow>(drill =>
        {
            drill.HasKey(d => d.Id);
            drill.Property(d => d.Id).HasMaxLength(128).ValueGeneratedNever();
            drill.HasIndex(d => d.StartedAtTicks);
            drill.Property(d => d.Version).IsConcurrencyToken();
            // Stored by name, as before the enum: rows written by earlier versions read back unchanged.
            drill.Property(d => d.State).HasConversion<string>();
        });
        modelBuilder.Entity<EvidencePackRow>(pack =>
        {
            pack.HasKey(p => p.Sequence);
            pack.Property(p => p.Sequence).ValueGeneratedNever();
            pack.HasIndex(p => p.DrillId);
        });
        modelBuilder.Entity<DrillScheduleRow>(schedule =>
        {
            schedule.HasKey(s => s.Id);
            schedule.HasIndex(s => s.NextRunTicks);
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

/// <summary>
/// One drill: what ran, how it went, its report and audit slice (JSON, as in the pack) and its current evidence
/// pack, a file in the data directory whose manifest hash chains to the pack written before it.
/// </summary>
/// <summary>Where a stored drill is: running, completed with a report, or failed (<see cref="DrillRunRow.Verdict"/> says why).</summary>
public enum DrillRunState
{
    Running,
    Completed,
    Failed,
}

public sealed class DrillRunRow
{
    public required string Id { get; set; }

    public required string Scenario { get; set; }

    public required string Region { get; set; }

    public required string Policy { get; set; }

    /// <summary>live (on the console's twin), full-speed (a fresh twin, headless) or scheduled.</summary>
    public required string Mode { get; set; }

    public required string StartedBy { get; set; }

    public long StartedAtTicks { get; set; }

    public long? EndedAtTicks { get; set; }

    public required DrillRunState State { get; set; }

    public bool? Passed { get; set; }

    public double? DetectionSeconds { get; set; }

    public double? RtoSeconds { get; set; }

    public double? RpoSeconds { get; set; }

    public string? Verdict { get; set; }

    /// <summary>The report's next drill date, kept beside it so that overdue checks need not read the report.</summary>
    public DateOnly? NextDrillDate { get; set; }

    public string? ReportJson { get; set; }

    public string? AuditJson { get; set; }

    public string? PackFile { get; set; }

    public string? ManifestSha256 { get; set; }

    public string? PreviousManifestSha256 { get; set; }

    public string? SignedOffBy { get; set; }

    public long? SignedOffAtTicks { get; set; }

    public int Version { get; set; }
}

/// <summary>One evidence pack written, in chain order: each manifest names the one before it. Rows are only inserted.</summary>
public sealed class EvidencePackRow
{
    public long Sequence { get; set; }

    public required string DrillId { get; set; }

    public required string File { get; set; }

    public required string ManifestSha256 { get; set; }

    public string? PreviousManifestSha256 { get; set; }

    public long WrittenAtTicks { get; set; }
}

/// <summary>A recurring drill: a cron expression (UTC) and what to run; the scheduler runs it headless when due.</summary>
public sealed class DrillScheduleRow
{
    public int Id { get; set; }

    public required string Cron { get; set; }

    public required string Scenario { get; set; }

    public required string Region { get; set; }

    public required string Policy { get; set; }

    public bool Enabled { get; set; } = true;

    public required string CreatedBy { get; set; }

    public long CreatedAtTicks { get; set; }

    public long NextRunTicks { get; set; }

    public long? LastRunTicks { get; set; }

    public string? LastDrillId { get; set; }
}
