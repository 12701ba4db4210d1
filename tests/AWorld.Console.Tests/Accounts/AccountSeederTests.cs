using AWorld.Console.Accounts;
using AWorld.Console.Storage;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Tests.Accounts;

public sealed class AccountSeederTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"aworld-seed-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public async Task InSimulation_SeedsTheFiveDemoAccounts_WithHashedPasswords()
    {
        var contexts = await SeedAsync(EstateProvider.Simulation);

        await using var db = await contexts.CreateDbContextAsync();
        var users = await db.Users.OrderBy(u => u.Id).ToListAsync();
        Assert.Equal(["noc", "operator", "manager", "auditor", "admin"], users.Select(u => u.UserName));
        Assert.Equal(["Viewer", "Operator", "Approver", "Auditor", "Admin"], users.Select(u => u.Role));
        Assert.All(users, u => Assert.DoesNotContain("aworld-demo", u.PasswordHash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AgainstAws_RefusesToSeedDemoAccounts()
    {
        var contexts = await SeedAsync(EstateProvider.Aws);

        await using var db = await contexts.CreateDbContextAsync();
        Assert.Empty(await db.Users.ToListAsync());
    }

    [Fact]
    public async Task SeedingTwice_KeepsExistingAccountsAsTheyAre()
    {
        var contexts = await SeedAsync(EstateProvider.Simulation);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            (await db.Users.SingleAsync(u => u.UserName == "noc")).PasswordHash = "changed";
            await db.SaveChangesAsync();
        }

        await SeedAsync(EstateProvider.Simulation);

        await using var check = await contexts.CreateDbContextAsync();
        Assert.Equal("changed", (await check.Users.SingleAsync(u => u.UserName == "noc")).PasswordHash);
        Assert.Equal(5, await check.Users.CountAsync());
    }

    private async Task<IDbContextFactory<ConsoleDbContext>> SeedAsync(EstateProvider provider)
    {
        var options = new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite($"Data Source={_database}").Options;
        var contexts = new Factory(options);
        var estate = EstateTopology.From(new EstateOptions { Provider = provider });
        await using (var db = contexts.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        var seeder = new AccountSeeder(contexts, new PasswordHasher<UserAccount>(), estate, Options.Create(new DemoOptions()), TimeProvider.System, NullLogger<AccountSeeder>.Instance);
        await seeder.SeedAsync(CancellationToken.None);
        return contexts;
    }

    private sealed class Factory(DbContextOptions<ConsoleDbContext> options) : IDbContextFactory<ConsoleDbContext>
    {
        public ConsoleDbContext CreateDbContext() => new(options);
    }
}
