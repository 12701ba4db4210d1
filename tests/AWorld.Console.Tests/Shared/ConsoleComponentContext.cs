using AWorld.Core.Engine;
using AWorld.Console.Live;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace AWorld.Console.Tests.Shared;

/// <summary>
/// A bunit context with the console's real services around a twin on a fake clock: the state stream, the series
/// store, the simulation control and the audit log in a temporary SQLite file. JS interop is loose (charts are
/// exercised in the browser tests).
/// </summary>
public sealed class ConsoleComponentContext : BunitContext
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"aworld-bunit-{Guid.NewGuid():N}.db");

    public ConsoleComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = this.AddAuthorization();
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, Time);
        Services.AddSingleton(EstateTopology.Default);
        Services.AddSingleton(Twin);
        Services.AddSingleton<IFaultInjector>(Twin);
        Services.AddSingleton(Stream);
        Services.AddSingleton(Store);
        Services.AddSingleton(Options.Create(new TelemetryOptions()));
        Services.AddDbContextFactory<ConsoleDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        Services.AddSingleton<IAuditStore, EfAuditStore>();
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<SimulationControl>();
        Services.AddSingleton(Anomalies);
        Services.AddSingleton<AWorld.Console.Anomalies.AnomalyAcknowledgements>();
        Monitor = new EstateMonitor(EstateTopology.Default, Twin, Twin, Twin, Store, Stream, Time, new TelemetryOptions(), Twin);

        using var db = new ConsoleDbContext(new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite($"Data Source={_database}").Options);
        db.Database.Migrate();
    }

    /// <summary>Signed out until a test says who is signed in.</summary>
    public BunitAuthorizationContext Auth { get; }

    public static DateTimeOffset Start { get; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public EstateTwin Twin { get; } = new(EstateTopology.Default, new SimulationOptions { Seed = 5 }, Start);

    public SeriesStore Store { get; } = new();

    /// <summary>The anomaly tracker, not wired to the monitor: tests feed it the points they need.</summary>
    public AWorld.Core.Anomalies.AnomalyTracker Anomalies => _anomalies ??= new(Store, new() { Detector = new() { LearningPoints = 300 } });

    private AWorld.Core.Anomalies.AnomalyTracker? _anomalies;

    public EstateStateStream Stream => _stream ??= new EstateStateStream(Time);

    public EstateMonitor Monitor { get; }

    private EstateStateStream? _stream;

    /// <summary>Moves the twin and the clock on second by second, polling as the console's driver does.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Twin.AdvanceTo(Time.GetUtcNow());
            await Monitor.PollAsync();
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
