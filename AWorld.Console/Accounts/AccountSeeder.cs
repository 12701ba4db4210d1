using AWorld.Console.Storage;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Accounts;

/// <summary>
/// In simulation mode only, makes sure the demo accounts exist (run at start by <see cref="ConsoleStartup"/>, after
/// the schema is migrated). Against AWS it refuses: a production estate never gets accounts with a published password.
/// </summary>
public sealed partial class AccountSeeder(
    IDbContextFactory<ConsoleDbContext> contexts,
    IPasswordHasher<UserAccount> hasher,
    EstateTopology estate,
    IOptions<DemoOptions> demo,
    TimeProvider time,
    ILogger<AccountSeeder> logger)
{
    public static readonly IReadOnlyList<(string UserName, string Role)> DemoAccounts =
    [
        ("noc", Roles.Viewer),
        ("operator", Roles.Operator),
        ("manager", Roles.Approver),
        ("auditor", Roles.Auditor),
        ("admin", Roles.Admin),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.SeedAccounts)
        {
            return;
        }

        if (estate.Provider != EstateProvider.Simulation)
        {
            LogRefused(logger);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Demo accounts are not seeded: Estate:Provider is Aws, and a real estate never gets accounts with a published password.")]
    private static partial void LogRefused(ILogger logger);
}
