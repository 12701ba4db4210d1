using AWorld.Console.Live;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AWorld.Console.Tests.Live;

/// <summary>The console's twin across restarts: two consoles on one data directory, on fake clocks.</summary>
public sealed class TwinPersistenceTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "aworld-twin-state-" + Guid.NewGuid().ToString("N"));

    private string StateFile => Path.Combine(_data, TwinStateFile.FileName);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }

    [Fact]
    public async Task AStoppedConsole_SavesItsTwin_AndTheNextResumesIt_CatchingUpAtMostMaxCatchUp_ThenJumping()
    {
        DateTimeOffset stoppedAt, twinAtStop;
        ActiveFault fault;
        using (var first = new ConsoleFactory(_data))
        {
            var twin = first.Services.GetRequiredService<EstateTwin>();
            await first.AdvanceAsync(TimeSpan.FromSeconds(30));
            fault = twin.Inject(new FaultSpec(FaultKind.Latency, "eu-central-1", Duration: TimeSpan.FromHours(3)));
            Assert.Equal(fault.Id, Assert.Single(TwinSnapshot.Deserialize(File.ReadAllBytes(StateFile)).Faults.All).Id);
            await first.AdvanceAsync(TimeSpan.FromSeconds(2));
            (twinAtStop, stoppedAt) = (twin.Now, first.Time.GetUtcNow());
        }

        var saved = TwinSnapshot.Deserialize(File.ReadAllBytes(StateFile));
        Assert.Equal((twinAtStop, stoppedAt), (saved.Now, saved.SavedAt));

        var logs = new LogCollector();
        using var second = new ConsoleFactory(_data, start: stoppedAt + TimeSpan.FromHours(2));
        second.Settings["Simulation:MaxCatchUp"] = "00:10:00";
        using var app = second.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var resumed = app.Services.GetRequiredService<EstateTwin>();

        Assert.Equal(twinAtStop + TimeSpan.FromHours(2), resumed.Now);
        Assert.Equal(fault.StartsAt + TimeSpan.FromMinutes(110), Assert.Single(resumed.FaultHistory()).StartsAt);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Resumed the twin from " + StateFile, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("jumps 01:50:00", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnreadableStateFile_StartsAFreshEstate_WithAnErrorThatNamesTheFile_AndTheFileIsKept()
    {
        Directory.CreateDirectory(_data);
        File.WriteAllText(StateFile, "{ this is not a twin");
        var logs = new LogCollector();
        using var factory = new ConsoleFactory(_data);
        using var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));

        var twin = app.Services.GetRequiredService<EstateTwin>();

        Assert.Empty(twin.FaultHistory());
        var aside = Assert.Single(Directory.GetFiles(_data, "twin-state.unreadable-*.json"));
        Assert.Equal("{ this is not a twin", File.ReadAllText(aside));
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains($"The saved twin state {StateFile} cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Contains($"It was moved to {aside} (not deleted)", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Exception);
    }

    [Fact]
    public void AStateFileOfAnotherSeed_IsMovedAside_WithAWarning_AndTheEstateStartsFresh()
    {
        using (var first = new ConsoleFactory(_data))
        {
            first.Services.GetRequiredService<EstateTwin>().Inject(new FaultSpec(FaultKind.Errors, "eu-west-1"));
        }

        var logs = new LogCollector();
        using var second = new ConsoleFactory(_data);
        second.Settings["Simulation:Seed"] = "2";
        using var app = second.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));

        Assert.Empty(app.Services.GetRequiredService<EstateTwin>().FaultHistory());
        Assert.Single(Directory.GetFiles(_data, "twin-state.mismatch-*.json"));
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("it was made with Simulation:Seed 1, the console now runs seed 2", warning.Message, StringComparison.Ordinal);
    }

    private sealed class LogCollector : ILoggerProvider
    {
        private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("AWorld.Console.Live.Twin", StringComparison.Ordinal) ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Logger(LogCollector owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._entries)
                {
                    owner._entries.Add((logLevel, formatter(state, exception), exception));
                }
            }
        }
    }
}
