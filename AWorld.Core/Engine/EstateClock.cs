namespace AWorld.Core.Engine;

/// <summary>
/// The estate's clock is its own service: in simulation it is a <see cref="VirtualClock"/> that can run
/// faster than real time, against AWS it is the real clock. The twin and the monitor read it; anything a person
/// waits on (push throttling, sessions, tokens) reads the plain <see cref="TimeProvider"/>.
/// </summary>
public static class EstateClock
{
    /// <summary>The DI key of the estate's <see cref="TimeProvider"/>.</summary>
    public const string Key = "estate";
}
