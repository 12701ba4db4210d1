using AWorld.Core.Engine;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Telemetry;

/// <summary>
/// The estate's state stream: the monitor publishes each new <see cref="EstateSnapshot"/>, every view (pages, the hub,
/// the API) reads <see cref="StateStream{T}.Current"/> or subscribes. Throttling runs on the plain clock (people wait
/// on it), each subscriber at most once per <see cref="TelemetryOptions.NotifyInterval"/> unless it asks otherwise.
/// </summary>
public sealed class EstateStateStream : StateStream<EstateSnapshot>
{
    public EstateStateStream(TimeProvider time, IOptions<TelemetryOptions>? options = null)
        : base(time, options?.Value.NotifyInterval)
    {
    }

    /// <summary>Completes with the first snapshot ever published.</summary>
    public Task<EstateSnapshot> FirstSnapshot => First;
}
