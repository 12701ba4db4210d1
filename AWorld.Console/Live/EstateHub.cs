using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AWorld.Console.Live;

/// <summary>
/// Pushes the estate to wallboards and <c>aworld watch</c>: every connection gets the current snapshot when it
/// connects, then one <c>snapshot</c> message per hub interval. Only authenticated users may connect or call.
/// </summary>
[Authorize]
public sealed class EstateHub(EstateStateStream stream) : Hub
{
    public const string Path = "/hubs/estate";
    public const string SnapshotMethod = "snapshot";
    public const string OperationMethod = "operation";

    public override async Task OnConnectedAsync()
    {
        if (stream.Current is { } snapshot)
        {
            await Clients.Caller.SendAsync(SnapshotMethod, snapshot);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>The latest snapshot, or null before the first poll.</summary>
    public EstateSnapshot? GetSnapshot() => stream.Current;
}

/// <summary>
/// Sends each new snapshot to every hub connection, at most once per <see cref="ConsoleOptions.HubInterval"/>, and each
/// operation that changed since the last push of the operations board (every 250 ms at most), through the same
/// throttled subscriptions as every view.
/// </summary>
public sealed partial class HubBroadcaster(
    EstateStateStream stream,
    OperationService operations,
    IHubContext<EstateHub> hub,
    Microsoft.Extensions.Options.IOptions<ConsoleOptions> options,
    ILogger<HubBroadcaster> logger) : IHostedService
{
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private IDisposable? _snapshots;
    private IDisposable? _operations;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _snapshots = stream.Subscribe(
            // Off the publisher's thread: serialising and queueing to thousands of connections takes a while.
            snapshot => Task.Run(() => hub.Clients.All.SendAsync(EstateHub.SnapshotMethod, snapshot, CancellationToken.None)),
            options.Value.HubInterval,
            ex => LogBroadcastFailed(logger, ex));
        foreach (var op in (await operations.BoardAsync(cancellationToken)).Operations)
        {
            _sent[op.Id] = op.Version;
        }

        _operations = operations.Board.Subscribe(board => Task.Run(() => SendChangesAsync(board)), onError: ex => LogBroadcastFailed(logger, ex));
    }

    /// <summary>Sends the operations whose version moved since they were last sent, oldest change first.</summary>
    private async Task SendChangesAsync(OperationBoard board)
    {
        List<Operation> changed;
        lock (_sent)
        {
            changed = [.. board.Operations.Reverse().Where(o => !_sent.TryGetValue(o.Id, out var v) || v < o.Version)];
            foreach (var op in changed)
            {
                _sent[op.Id] = op.Version;
            }

            foreach (var gone in _sent.Keys.Except(board.Operations.Select(o => o.Id)).ToList())
            {
                _sent.Remove(gone);
            }
        }

        foreach (var op in changed)
        {
            await hub.Clients.All.SendAsync(EstateHub.OperationMethod, op, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _snapshots?.Dispose();
        _operations?.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Broadcasting a snapshot to the hub failed.")]
    private static partial void LogBroadcastFailed(ILogger logger, Exception exception);
}
