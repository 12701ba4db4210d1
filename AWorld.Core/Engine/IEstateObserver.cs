using AWorld.Core.Telemetry;

namespace AWorld.Core.Engine;

/// <summary>
/// Runs at the end of every step of the <see cref="EstateLoop"/> that polled, after the ladder and the executor, with
/// the snapshot the step published: live drills, later alerts. Called on the loop's thread, one observer after the
/// other, in registration order; an observer that needs to do slow work hands it off.
/// </summary>
public interface IEstateObserver
{
    Task ObserveAsync(EstateSnapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>
/// An estate that moves only when told: the twin simulates every second up to the estate clock's present when the loop
/// asks. A real estate moves by itself and registers none.
/// </summary>
public interface ISimulatedEstate
{
    void AdvanceTo(DateTimeOffset at);
}
