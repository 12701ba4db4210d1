using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using AWorld.Core.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Console.Tests.Storage;

/// <summary>
/// The executor killed at every point in turn and a new one started from the SQLite database (new contexts, new
/// service, new executor — only the twin and the file survive): the operation completes exactly once.
/// </summary>
public sealed class OperationRestartTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"aworld-restart-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly EstateTwin _twin = new(EstateTopology.Default, new SimulationOptions { Seed = 11, MetricCadence = MetricCadence.Immediate }, Start);
    private readonly List<ServiceProvider> _processes = [];

    public OperationRestartTests()
    {
        using var db = new Factory(_database).CreateDbContext();
        db.Database.Migrate();
    }

    public void Dispose()
    {
        _processes.ForEach(p => p.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Theory]
    [InlineData(0, "after-act")]
    [InlineData(0, "after-outcome")]
    [InlineData(1, "after-act")]
    [InlineData(1, "after-outcome")]
    [InlineData(2, "after-act")]
    [InlineData(2, "after-outcome")]
    public async Task KilledAfterAStep_ARestartedConsole_CompletesTheOperationExactlyOnce(int step, string phase)
    {
        var first = Process();
        await AdvanceAsync(first, TimeSpan.FromMinutes(1));
        var op = (await first.Service.RequestAsync(new OperationRequest(OperationKind.Failover, "eu-west-1", "drill"), new Actor("olivia", RoleNames.Operator))).Operation!;
        Assert.True((await first.Service.ApproveAsync(op.Id, new Actor("martin", RoleNames.Approver), op.Plan.Hash, false)).Succeeded);
        var killed = false;
        first.Executor.FaultHook = (index, at) => index == step && at == phase ? throw new InvalidOperationException("killed") : Task.CompletedTask;
        for (var s = 0; s < 900 && !killed; s++)
        {
            try
            {
                await AdvanceAsync(first, TimeSpan.FromSeconds(1));
            }
            catch (InvalidOperationException)
            {
                killed = true;
            }
        }

        Assert.True(killed);
        var second = Process();
        for (var s = 0; s < 900 && (await second.Store.GetAsync(op.Id, default))!.IsOpen; s++)
        {
            await AdvanceAsync(second, TimeSpan.FromSeconds(1));
        }

        var finished = (await second.Store.GetAsync(op.Id, default))!;
        Assert.Equal(OperationState.Completed, finished.State);
        Assert.Single(finished.Journal, j => j.Index == 0 && j.Status == StepStatus.Succeeded);
        Assert.Single(finished.Journal, j => j.Index == 2 && j.Status == StepStatus.Succeeded);
        Assert.Equal(ChangeStatus.InSync, (await ((ITrafficRouter)_twin).GetChangeAsync("C000001", default)).Status);
        await Assert.ThrowsAsync<EstateServiceException>(() => ((ITrafficRouter)_twin).GetChangeAsync("C000002", default));
        var verification = await second.Audit.VerifyAsync();
        Assert.True(verification.Verified, verification.Problem);
        Assert.Single((await second.Audit.RecentAsync(500, "operation.finish")));
    }

    [Fact]
    public async Task AnOperationStoredBeforeTheJournalHadFields_StillLoads()
    {
        var process = Process();
        await AdvanceAsync(process, TimeSpan.FromMinutes(1));
        var op = (await process.Service.RequestAsync(new OperationRequest(OperationKind.Failover, "eu-west-1", "drill"), new Actor("olivia", RoleNames.Operator))).Operation!;
        Assert.True((await process.Service.ApproveAsync(op.Id, new Actor("martin", RoleNames.Approver), op.Plan.Hash, false)).Succeeded);
        for (var s = 0; s < 900 && (await process.Store.GetAsync(op.Id, default))!.IsOpen; s++)
        {
            await AdvanceAsync(process, TimeSpan.FromSeconds(1));
        }

        // Rewrite the row as an older console wrote it: journal lines without the structured fields.
        using (var db = new Factory(_database).CreateDbContext())
        {
            var row = await db.Operations.SingleAsync(o => o.Id == op.Id);
            var json = System.Text.Json.Nodes.JsonNode.Parse(row.Json)!;
            foreach (var line in json["journal"]!.AsArray())
            {
                var fields = line!.AsObject();
                Assert.True(fields.Remove("changeId") & fields.Remove("previousWeights") & fields.Remove("previousTable"));
            }

            row.Json = json.ToJsonString();
            await db.SaveChangesAsync();
        }

        var restarted = Process();
        var loaded = (await restarted.Store.GetAsync(op.Id, default))!;

        Assert.Equal(OperationState.Completed, loaded.State);
        Assert.All(loaded.Journal, j => Assert.Equal((null, null, null), (j.ChangeId, j.PreviousWeights, j.PreviousTable)));
        Assert.Equal("change C000001", loaded.Journal.Single(j => j.Index == 0 && j.Status == StepStatus.Succeeded).Detail);
    }

    /// <summary>A console process as the console registers its engine: its own services over the surviving file and twin.</summary>
    private ConsoleProcess Process()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, _time);
        services.AddSingleton<IDbContextFactory<ConsoleDbContext>>(new Factory(_database));
        services.AddSingleton<IOperationStore, EfOperationStore>();
        services.AddSingleton<IAuditStore, EfAuditStore>();
        services.AddSingleton(_twin);
        services.AddAWorldCore(configuration).AddTwinEstate(configuration);
        var provider = services.BuildServiceProvider();
        _processes.Add(provider);
        return new ConsoleProcess((EfOperationStore)provider.GetRequiredService<IOperationStore>(), provider.GetRequiredService<AuditLog>(), provider.GetRequiredService<OperationService>(),
            provider.GetRequiredService<OperationExecutor>(), provider.GetRequiredService<EstateMonitor>());
    }

    /// <summary>Steps the twin, the process's monitor and its executor (the ladder stays out of this test).</summary>
    private async Task AdvanceAsync(ConsoleProcess process, TimeSpan duration)
    {
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _twin.AdvanceTo(_time.GetUtcNow());
            await process.Monitor.PollAsync();
            await process.Executor.TickAsync();
        }
    }

    private sealed record ConsoleProcess(EfOperationStore Store, AuditLog Audit, OperationService Service, OperationExecutor Executor, EstateMonitor Monitor);

    private sealed class Factory(string path) : IDbContextFactory<ConsoleDbContext>
    {
        public ConsoleDbContext CreateDbContext() => new(new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite($"Data Source={path}").Options);
    }
}
