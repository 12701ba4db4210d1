using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Components;

namespace AWorld.Console.Components;

/// <summary>
/// A component that shows the estate: it holds the latest snapshot and re-renders when a new one arrives, at most
/// four times a second, through one throttled subscription to the state stream that ends with the component.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);
    private IDisposable? _subscription;

    [Inject]
    public required EstateStateStream Stream { get; init; }

    protected EstateSnapshot? Snapshot { get; private set; }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void OnInitialized()
    {
        Snapshot = Stream.Current;
        if (Snapshot is not null)
        {
            OnSnapshot(Snapshot);
        }

        // Rendering happens off the publisher's thread: a busy circuit must not hold up the driver or other pages.
        _subscription = Stream.Subscribe(snapshot => Task.Run(() => InvokeAsync(() =>
        {
            Snapshot = snapshot;
            OnSnapshot(snapshot);
            StateHasChanged();
        })), RenderInterval);
    }

    /// <summary>Called on the renderer's thread with each new snapshot, before rendering.</summary>
    protected virtual void OnSnapshot(EstateSnapshot snapshot)
    {
    }
}
