using AWorld.Core.Engine;
using AWorld.Console.Components;
using AWorld.Console.Live;
using AWorld.Console.Storage;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace AWorld.Console.Tests.Shared;

/// <summary>
/// A bunit context with the console's real services around a twin on a fake clock, built by the engine's own
/// registration (<c>AddAWorldCore</c> + <c>AddTwinEstate</c>): the state stream, the series store, the anomaly tracker,
/// the operations engine, the simulation control and the audit log, with the stores in a temporary SQLite file. JS
/// interop is loose (charts are exercised in the browser tests).
/// </summary>
public sealed class ConsoleComponentContext : BunitContext
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"aworld-bunit-{Guid.NewGuid():N}.db");

    public ConsoleComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = this.AddAuthorization();
        Services.AddMudServices();
        // Live views render on the thread that makes them due (the fake clock's Advance): no test waits for a render.
        Services.AddSingleton(LiveDispatch.Inline);
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, Time);
        Services.AddDbContextFactory<ConsoleDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        Services.AddSingleton<IAuditStore, EfAuditStore>();
        Services.AddSingleton<IOperationStore, EfOperationStore>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulation:Seed"] = "5",
            ["Simulation:MetricCadence"] = "Immediate",
            ["Anomalies:Detector:LearningPoints"] = "300",
        }).Build();
        Services.AddAWorldCore(configuration).AddTwinEstate(configuration);
        Services.AddSingleton<SimulationControl>();
        Services.AddSingleton<AWorld.Console.Anomalies.AnomalyAcknowledgements>();

        using var db = new ConsoleDbContext(new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite($"Data Source={_database}").Options);
        db.Database.Migrate();
    }

    /// <summary>Signed out until a test says who is signed in.</summary>
    public BunitAuthorizationContext Auth { get; }

    public static DateTimeOffset Start { get; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public EstateTwin Twin => Services.GetRequiredService<EstateTwin>();

    public SeriesStore Store => Services.GetRequiredService<SeriesStore>();

    /// <summary>The anomaly tracker the monitor feeds; tests may feed it the points they need directly.</summary>
    public AWorld.Core.Anomalies.AnomalyTracker Anomalies => Services.GetRequiredService<AWorld.Core.Anomalies.AnomalyTracker>();

    public EstateStateStream Stream => Services.GetRequiredService<EstateStateStream>();

    /// <summary>Moves the clock on second by second, running one step of the engine's loop each time, as the console's driver does.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        var loop = Services.GetRequiredService<EstateLoop>();
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await loop.StepAsync();
        }
    }

    /// <summary>MudBlazor's services dispose only asynchronously, so the context is disposed this way.</summary>
    public async Task DisposeAllAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }
}
