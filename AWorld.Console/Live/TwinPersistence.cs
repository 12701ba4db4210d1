using System.Globalization;
using AWorld.Console.Storage;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Live;

public static class TwinPersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The live console's twin survives a restart: the twin and the estate clock are made from <c>twin-state.json</c>
    /// in the data directory when it fits the estate and seed (<see cref="TwinResume"/>), and <see cref="TwinStateSaver"/>
    /// writes it back. Registered before <see cref="TwinServiceCollectionExtensions.AddTwinEstate"/>, whose TryAdds then
    /// keep these. Headless drills, benchmarks and the sandbox's fresh twins never call it, so they never persist.
    /// </summary>
    public static IServiceCollection AddTwinPersistence(this IServiceCollection services)
    {
        services.TryAddSingleton<TwinStateFile>();
        services.TryAddSingleton<TwinResume>();
        services.TryAddSingleton(sp =>
        {
            var real = sp.GetRequiredService<TimeProvider>();
            var start = sp.GetRequiredService<TwinResume>().ClockStart ?? real.GetUtcNow();
            return VirtualClock.Accelerated(real, start, sp.GetRequiredService<IOptions<SimulationOptions>>().Value.Speed);
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<TwinResume>().Twin
            ?? new EstateTwin(sp.GetRequiredService<EstateTopology>(), sp.GetRequiredService<IOptions<SimulationOptions>>().Value,
                sp.GetRequiredKeyedService<TimeProvider>(EstateClock.Key).GetUtcNow()));
        services.AddHostedService<TwinStateSaver>();
        return services;
    }
}

/// <summary>
/// <c>twin-state.json</c> in the console's data directory: read once at start, written atomically (a temporary file,
/// flushed to disk, renamed over the old one). A file that cannot be used is renamed aside, never deleted; when even
/// that fails, nothing is written for the rest of the run so that the file stays as it was. Thread-safe.
/// </summary>
public sealed partial class TwinStateFile(DataDirectory data, TimeProvider time, ILogger<TwinStateFile> logger)
{
    public const string FileName = "twin-state.json";

    private readonly Lock _gate = new();
    private bool _savedOnce;

    public string Path { get; } = System.IO.Path.Combine(data.Path, FileName);

    /// <summary>False when an unusable file could not be moved aside: the console then leaves it alone.</summary>
    public bool Enabled { get; private set; } = true;

    /// <summary>The saved snapshot, or null (fresh start) when there is none or it cannot be used; the log says why.</summary>
    public TwinSnapshot? Load(EstateTopology estate, SimulationOptions options)
    {
        lock (_gate)
        {
            if (!File.Exists(Path))
            {
                LogNoState(logger, Path);
                return null;
            }

            TwinSnapshot snapshot;
            try
            {
                snapshot = TwinSnapshot.Deserialize(File.ReadAllBytes(Path));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Unusable(ex.Message);
                return null;
            }

            if (snapshot.MismatchWith(estate, options) is { } mismatch)
            {
                var aside = MoveAside("mismatch");
                LogMismatch(logger, Path, mismatch, aside ?? "(it could not be moved; it is left in place and not overwritten)");
                return null;
            }

            return snapshot;
        }
    }

    /// <summary>The file's contents do not restore (they parse but do not fit together): moved aside like an unreadable file.</summary>
    public void Reject(string reason)
    {
        lock (_gate)
        {
            Unusable(reason);
        }
    }

    /// <summary>
    /// Takes a snapshot and writes it (stamped with the real time) atomically; a failure is logged, never thrown. The
    /// snapshot is taken under the file's lock, so that a save begun earlier never overwrites a newer state.
    /// </summary>
    public void Save(Func<TwinSnapshot> snapshot)
    {
        lock (_gate)
        {
            if (!Enabled)
            {
                return;
            }

            var started = time.GetTimestamp();
            var temporary = Path + ".tmp";
            try
            {
                var bytes = (snapshot() with { SavedAt = time.GetUtcNow() }).Serialize();
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, Path, overwrite: true);
                var elapsed = time.GetElapsedTime(started);
                if (!_savedOnce)
                {
                    _savedOnce = true;
                    LogFirstSave(logger, Path, bytes.Length, elapsed.TotalMilliseconds);
                }
                else
                {
                    LogSaved(logger, bytes.Length, elapsed.TotalMilliseconds);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogSaveFailed(logger, Path, ex.Message);
            }
        }
    }

    private void Unusable(string reason)
    {
        var aside = MoveAside("unreadable");
        if (aside is null)
        {
            Enabled = false;
        }

        LogUnreadable(logger, Path, reason, aside is null
            ? "It could not be moved aside, so it is left as it is and the twin's state is not saved in this run: move or fix the file, then restart the console."
            : $"It was moved to {aside} (not deleted): keep it for a look, or delete it.");
    }

    private string? MoveAside(string why)
    {
        var aside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!,
            $"twin-state.{why}-{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}.json");
        try
        {
            File.Move(Path, aside, overwrite: false);
            return aside;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Enabled = false;
            return null;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "No saved twin state at {Path}: the estate starts fresh.")]
    private static partial void LogNoState(ILogger logger, string path);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "The saved twin state {Path} cannot be read: {Reason}. The estate starts fresh. {What}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason, string what);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "The saved twin state {Path} does not fit this console: {Reason}. The estate starts fresh; the old file is kept as {Aside}.")]
    private static partial void LogMismatch(ILogger logger, string path, string reason, string aside);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Saving the twin's state to {Path}: {Bytes} bytes, written in {Milliseconds:F1} ms.")]
    private static partial void LogFirstSave(ILogger logger, string path, int bytes, double milliseconds);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Saved the twin's state: {Bytes} bytes in {Milliseconds:F1} ms.")]
    private static partial void LogSaved(ILogger logger, int bytes, double milliseconds);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "Saving the twin's state to {Path} failed: {Reason}. It is tried again at the next interval.")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}

/// <summary>
/// What the console resumes at start, decided once: the twin restored from the file, and where the estate clock
/// starts. The virtual time that passed while the console was down (real time × <see cref="SimulationOptions.Speed"/>)
/// is simulated by the first catch-up, at most <see cref="SimulationOptions.MaxCatchUp"/>; the rest is skipped (the
/// twin's clock jumps, every time in its state moving with it).
/// </summary>
public sealed partial class TwinResume
{
    public TwinResume(TwinStateFile file, EstateTopology estate, IOptions<SimulationOptions> options, TimeProvider time, ILogger<TwinResume> logger)
    {
        var simulation = options.Value;
        if (file.Load(estate, simulation) is not { } snapshot)
        {
            return;
        }

        var now = time.GetUtcNow();
        var down = snapshot.SavedAt is { } saved && now > saved ? now - saved : TimeSpan.Zero;
        var gap = TimeSpan.FromSeconds(Math.Floor(down.TotalSeconds * simulation.Speed));
        var simulate = gap < simulation.MaxCatchUp ? gap : TimeSpan.FromSeconds(Math.Floor(simulation.MaxCatchUp.TotalSeconds));
        var skip = gap - simulate;
        try
        {
            Twin = EstateTwin.Restore(estate, simulation, snapshot, skip);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException or NullReferenceException)
        {
            // NullReferenceException: a hand-edited file can null out a part the format requires.
            file.Reject(ex.Message);
            return;
        }

        ClockStart = Twin.Now + simulate;
        LogResumed(logger, file.Path, snapshot.Now, snapshot.SavedAt, simulate);
        if (skip > TimeSpan.Zero)
        {
            LogSkipped(logger, gap, simulation.MaxCatchUp, skip, Twin.Now);
        }
    }

    /// <summary>The restored twin; null for a fresh start.</summary>
    public EstateTwin? Twin { get; }

    /// <summary>Where the estate clock starts; null for a fresh start (the real present).</summary>
    public DateTimeOffset? ClockStart { get; }

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Resumed the twin from {Path}: it had simulated up to {VirtualTime:O} (saved at {SavedAt:O}); catching up {CatchUp} of virtual time.")]
    private static partial void LogResumed(ILogger logger, string path, DateTimeOffset virtualTime, DateTimeOffset? savedAt, TimeSpan catchUp);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "The console was stopped for {Gap} of virtual time, more than Simulation:MaxCatchUp ({Max}): the twin's clock jumps {Skip} without simulating it, to {VirtualTime:O}.")]
    private static partial void LogSkipped(ILogger logger, TimeSpan gap, TimeSpan max, TimeSpan skip, DateTimeOffset virtualTime);
}

/// <summary>
/// Catches the twin up at start (before the estate driver's first tick), then writes its state every
/// <see cref="SimulationOptions.SaveInterval"/>, after every call that changes the estate (before that call returns,
/// so that a Route 53 change id the executor journals is on disk first), and once more on a graceful stop.
/// </summary>
public sealed partial class TwinStateSaver(
    TwinStateFile file,
    EstateTwin twin,
    [FromKeyedServices(EstateClock.Key)] TimeProvider clock,
    TimeProvider time,
    IOptions<SimulationOptions> options,
    ILogger<TwinStateSaver> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var from = twin.Now;
        var started = time.GetTimestamp();
        twin.AdvanceTo(clock.GetUtcNow());
        var caughtUp = twin.Now - from;
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        if (caughtUp > TimeSpan.FromSeconds(1))
        {
            LogCaughtUp(logger, caughtUp, elapsed);
        }

        twin.StateChanged = Save;
        Save();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        twin.StateChanged = null;
        Save();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Save();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync writes the last state.
        }
    }

    private void Save() => file.Save(twin.Snapshot);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Caught the twin up by {VirtualTime} of virtual time in {Milliseconds:F0} ms.")]
    private static partial void LogCaughtUp(ILogger logger, TimeSpan virtualTime, double milliseconds);
}
