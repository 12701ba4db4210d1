using AWorld.Console.Storage;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Accounts;

/// <summary>
/// Brings the database schema up to date at start, then, in simulation mode only, makes sure the demo accounts
/// exist. Against AWS it refuses: a production estate never gets accounts with a published password.
/// </summary>
public sealed partial class AccountSeeder(
    IDbContextFactory<ConsoleDbContext> contexts,
    IPasswordHasher<UserAccount> hasher,
    EstateTopology estate,
    IOptions<DemoOptions> demo,
    TimeProvider time,
    ILogger<AccountSeeder> logger) : IHostedService
{
    public static readonly IReadOnlyList<(string UserName, string Role)> DemoAccounts =
    [
        ("noc", Roles.Viewer),
        ("operator", Roles.Operator),
        ("manager", Roles.Approver),
        ("auditor", Roles.Auditor),
        ("admin", Roles.Admin),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (!demo.Value.SeedAccounts)
        {
            return;
        }

        if (estate.Provider != EstateProvider.Simulation)
        {
            LogRefused(logger);
            return;
        }

        foreach (var (userName, role) in DemoAccounts)
        {
            if (await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
            {
                continue;
            }

            var user = new UserAccount { UserName = userName, Role = role, CreatedAt = time.GetUtcNow() };
            user.PasswordHash = hasher.HashPassword(user, demo.Value.Password);
            db.Users.Add(user);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Demo accounts are not seeded: Estate:Provider is Aws, and a real estate never gets accounts with a published password.")]
    private static partial void LogRefused(ILogger logger);
}
