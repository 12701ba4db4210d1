using AWorld.Core.Engine;
using Microsoft.AspNetCore.Components;

namespace AWorld.Console.Components;

/// <summary>
/// A component that follows live state: each <c>Follow</c> is one throttled subscription to a
/// <see cref="StateStream{T}"/> (the estate snapshot, the operations board, the drill activity) that hands the newest
/// value to the component on its renderer and re-renders, at most every <see cref="RenderInterval"/>; every
/// subscription ends with the component. The one way a page goes live.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    /// <summary>Pages re-render at most four times a second, however fast the state moves.</summary>
    protected static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);

    private readonly List<IDisposable> _subscriptions = [];

    [Inject]
    public required LiveDispatch Dispatch { get; init; }

    public void Dispose()
    {
        _subscriptions.ForEach(s => s.Dispose());
        _subscriptions.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Calls <paramref name="onValue"/> on the renderer with the newest value after each publication (throttled), then renders.</summary>
    protected void Follow<T>(StateStream<T> stream, Func<T, Task> onValue)
        where T : class =>
        _subscriptions.Add(stream.Subscribe(value => Dispatch.Run(() => InvokeAsync(async () =>
        {
            await onValue(value);
            StateHasChanged();
        })), RenderInterval));

    protected void Follow<T>(StateStream<T> stream, Action<T> onValue)
        where T : class => Follow(stream, value =>
        {
            onValue(value);
            return Task.CompletedTask;
        });
}
