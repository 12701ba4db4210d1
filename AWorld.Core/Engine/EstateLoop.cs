using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Engine;

/// <summary>
/// One step of the estate, the only way the engine runs: bring a simulated estate to the estate clock's present, and
/// once per <see cref="TelemetryOptions.PollInterval"/> poll the sources (publishing the snapshot), let the
/// countermeasure ladder judge it, move approved operations on, then hand the snapshot to every
/// <see cref="IEstateObserver"/>. The console's hosted driver is a timer around <see cref="StepAsync"/>; headless drills
/// and benchmarks call it after each advance of their manual clock, so both run the same pipeline in the same order.
/// </summary>
/// <remarks>Not thread-safe: one loop calls <see cref="StepAsync"/>.</remarks>
public sealed class EstateLoop(
    [FromKeyedServices(EstateClock.Key)] TimeProvider clock,
    EstateMonitor monitor,
    CountermeasurePolicy ladder,
    OperationExecutor executor,
    IOptions<TelemetryOptions> telemetry,
    IEnumerable<ISimulatedEstate> simulated,
    IEnumerable<IEstateObserver> observers)
{
    private readonly ISimulatedEstate[] _simulated = [.. simulated];
    private readonly IEstateObserver[] _observers = [.. observers];
    private readonly TimeSpan _pollInterval = telemetry.Value.PollInterval;
    private DateTimeOffset? _lastPoll;

    /// <summary>When the last poll ran (estate time); null before the first.</summary>
    public DateTimeOffset? LastPoll => _lastPoll;

    /// <summary>Runs one step; returns the snapshot when the step polled, null when no poll was due yet.</summary>
    public async Task<EstateSnapshot?> StepAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        foreach (var estate in _simulated)
        {
            estate.AdvanceTo(now);
        }

        if (_lastPoll is { } last && now - last < _pollInterval)
        {
            return null;
        }

        _lastPoll = now;
        var snapshot = await monitor.PollAsync(cancellationToken);
        await ladder.EvaluateAsync(snapshot, cancellationToken);
        await executor.TickAsync(cancellationToken);
        foreach (var observer in _observers)
        {
            await observer.ObserveAsync(snapshot, cancellationToken);
        }

        return snapshot;
    }
}
