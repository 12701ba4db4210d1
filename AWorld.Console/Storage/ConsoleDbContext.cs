using AWorld.Console.Accounts;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>The console's own store: accounts and the record of who did what.</summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<ActivityRecord> Activities => Set<ActivityRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(user =>
        {
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.UserName).HasMaxLength(64);
            user.Property(u => u.Role).HasMaxLength(16);
        });
        modelBuilder.Entity<ActivityRecord>(activity =>
        {
            activity.HasKey(a => a.Id);
            activity.HasIndex(a => a.At);
            activity.Property(a => a.At).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
    }
}

/// <summary>One thing a person (or the console on their behalf) did: sign-in, fault injection, clock change.</summary>
public sealed class ActivityRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Role { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    public required string Outcome { get; set; }

    public string? Reason { get; set; }
}
