using AWorld.Console.Accounts;
using AWorld.Console.Drills;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Storage;

/// <summary>
/// What must be true before any hosted service runs: the database schema is up to date (a fresh or upgraded data
/// directory), drills a previous run left Running are closed as interrupted, and in simulation the demo accounts
/// exist. It runs in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host calls for every lifecycle
/// service before it starts any hosted service, so the driver, the drill scheduler and the hub never see an old schema.
/// </summary>
public sealed partial class ConsoleStartup(
    IDbContextFactory<ConsoleDbContext> contexts,
    DrillRepository drills,
    AccountSeeder accounts,
    ILogger<ConsoleStartup> logger,
    AWorld.Aws.AwsPollingCost? cost = null) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        var interrupted = await drills.MarkInterruptedAsync(cancellationToken);
        if (interrupted > 0)
        {
            LogInterrupted(logger, interrupted);
        }

        await accounts.SeedAsync(cancellationToken);
        if (cost is not null)
        {
            var text = cost.Describe();
            LogCost(logger, text);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "AWS estate: {Cost}")]
    private static partial void LogCost(ILogger logger, string cost);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Count} drill(s) were running when the console stopped; they are closed as interrupted.")]
    private static partial void LogInterrupted(ILogger logger, int count);
}
