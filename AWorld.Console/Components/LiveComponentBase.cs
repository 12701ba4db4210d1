using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Components;

namespace AWorld.Console.Components;

/// <summary>
/// A component that shows the estate: it holds the latest snapshot and re-renders when a new one arrives, through one
/// throttled subscription to the state stream (see <see cref="LiveComponent"/>) that ends with the component.
/// </summary>
public abstract class LiveComponentBase : LiveComponent
{
    [Inject]
    public required EstateStateStream Stream { get; init; }

    protected EstateSnapshot? Snapshot { get; private set; }

    protected override void OnInitialized()
    {
        Snapshot = Stream.Current;
        if (Snapshot is not null)
        {
            OnSnapshot(Snapshot);
        }

        Follow(Stream, snapshot =>
        {
            Snapshot = snapshot;
            OnSnapshot(snapshot);
        });
    }

    /// <summary>Called on the renderer's thread with each new snapshot, before rendering.</summary>
    protected virtual void OnSnapshot(EstateSnapshot snapshot)
    {
    }
}
