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

/// <summary>Sends each new snapshot to every hub connection, at most once per <see cref="ConsoleOptions.HubInterval"/>, and every operation change as it happens.</summary>
public sealed partial class HubBroadcaster(
    EstateStateStream stream,
    AWorld.Core.Operations.OperationService operations,
    IHubContext<EstateHub> hub,
    Microsoft.Extensions.Options.IOptions<ConsoleOptions> options,
    ILogger<HubBroadcaster> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = stream.Subscribe(
            // Off the publisher's thread: serialising and queueing to thousands of connections takes a while.
            snapshot => Task.Run(() => hub.Clients.All.SendAsync(EstateHub.SnapshotMethod, snapshot, CancellationToken.None)),
            options.Value.HubInterval,
            ex => LogBroadcastFailed(logger, ex));
        operations.Changed += OnOperationChanged;
        return Task.CompletedTask;
    }

    private void OnOperationChanged(AWorld.Core.Operations.Operation operation) =>
        _ = hub.Clients.All.SendAsync(EstateHub.OperationMethod, operation, CancellationToken.None);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        operations.Changed -= OnOperationChanged;
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Broadcasting a snapshot to the hub failed.")]
    private static partial void LogBroadcastFailed(ILogger logger, Exception exception);
}
