extern alias console;

using System.Diagnostics;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ConsoleOptions = console::AWorld.Console.ConsoleOptions;
using ConsoleProgram = console::Program;

namespace AWorld.Bench.Live;

/// <summary>
/// The real AWorld Console in this process, on Kestrel at a free loopback port, with its background driver running
/// and its data in a fresh temporary directory that is deleted on dispose. Records when each snapshot is published
/// and counts the Blazor circuits that are open.
/// </summary>
internal sealed class BenchConsole : IDisposable
{
    public const string DemoPassword = "aworld-demo";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"aworld-bench-{Guid.NewGuid():N}");
    private readonly Factory _factory;

    private BenchConsole()
    {
        _factory = new Factory(_dataDirectory, Publications, Circuits);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        Stream = _factory.Services.GetRequiredService<EstateStateStream>();
        HubInterval = _factory.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.HubInterval;
    }

    public Uri BaseAddress { get; }

    public EstateStateStream Stream { get; }

    public TimeSpan HubInterval { get; }

    public PublicationLog Publications { get; } = new();

    public CircuitCounter Circuits { get; } = new();

    public static async Task<BenchConsole> StartAsync()
    {
        var console = new BenchConsole();
        await console.Stream.FirstSnapshot.WaitAsync(TimeSpan.FromSeconds(60));
        return console;
    }

    public void Dispose()
    {
        _factory.Dispose();

        // SQLite pools connections; release the file before deleting the directory.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"could not delete {_dataDirectory}: {ex.Message}");
        }
    }

    private sealed class Factory(string dataDirectory, PublicationLog publications, CircuitCounter circuits) : WebApplicationFactory<ConsoleProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Console:DataDirectory", dataDirectory);
            builder.UseSetting("Console:DriverEnabled", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureTestServices(services =>
            {
                // First among the hosted services, so the publication log subscribes before the hub broadcaster:
                // the stream calls subscribers in order, and the broadcaster's synchronous write to every
                // connection would otherwise delay our timestamp.
                services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp =>
                {
                    publications.Attach(sp.GetRequiredService<EstateStateStream>());
                    return publications;
                }));
                services.AddSingleton<CircuitHandler>(circuits);
            });
        }
    }
}

/// <summary>When each snapshot sequence was first seen on the state stream, i.e. published (wall clock and monotonic).</summary>
internal sealed class PublicationLog : IHostedService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Publication> _bySequence = [];
    private EstateStateStream? _stream;
    private readonly Dictionary<long, long> _lastSeen = [];
    private IDisposable? _subscription;
    private IDisposable? _tail;

    public void Attach(EstateStateStream stream) => _stream = stream;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A tiny interval: publications are ~1 s apart, so the callback runs synchronously inside Publish.
        _subscription = _stream?.Subscribe(snapshot =>
        {
            var publication = new Publication(snapshot.Sequence, WallClock.NowMs(), Stopwatch.GetTimestamp(), snapshot.At);
            lock (_gate)
            {
                _bySequence.TryAdd(snapshot.Sequence, publication);
            }

            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _tail?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// (Re)subscribes last in the stream's list. The stream signals subscribers one after another on the publishing
    /// thread, so the gap between the first and the last subscriber's timestamps is how long the subscribers in
    /// between (hub broadcast, page renders) held up <see cref="AWorld.Core.Engine.StateStream{T}.Publish"/>.
    /// </summary>
    public void SubscribeLast()
    {
        _tail?.Dispose();
        _tail = _stream?.Subscribe(snapshot =>
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                _lastSeen.TryAdd(snapshot.Sequence, now);
            }

            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(1));
    }

    /// <summary>For each publication in [fromMs, toMs] also seen by the last subscriber: milliseconds from first to last.</summary>
    public IReadOnlyList<double> PublishSpans(double fromMs, double toMs)
    {
        lock (_gate)
        {
            return [.. _bySequence.Values
                .Where(p => p.WallMs >= fromMs && p.WallMs <= toMs && _lastSeen.ContainsKey(p.Sequence))
                .Select(p => Stopwatch.GetElapsedTime(p.Timestamp, _lastSeen[p.Sequence]).TotalMilliseconds)];
        }
    }

    /// <summary>Publications whose wall-clock time lies in [fromMs, toMs], by sequence.</summary>
    public IReadOnlyDictionary<long, Publication> Between(double fromMs, double toMs)
    {
        lock (_gate)
        {
            return _bySequence.Values.Where(p => p.WallMs >= fromMs && p.WallMs <= toMs).ToDictionary(p => p.Sequence);
        }
    }
}

internal sealed record Publication(long Sequence, double WallMs, long Timestamp, DateTimeOffset At);

/// <summary>Open Blazor circuits (opened minus closed), and connections currently up.</summary>
internal sealed class CircuitCounter : CircuitHandler
{
    private int _open;
    private int _connected;

    public int Open => Volatile.Read(ref _open);

    public int Connected => Volatile.Read(ref _connected);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connected);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _connected);
        return Task.CompletedTask;
    }
}

internal static class WallClock
{
    /// <summary>Milliseconds since the Unix epoch, the same scale as JavaScript's Date.now().</summary>
    public static double NowMs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
