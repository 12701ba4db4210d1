using AWorld.Core.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AWorld.Twin.Serve;

/// <summary>
/// Moves the served twin along its estate clock: a timer of that clock fires every <see cref="RealTick"/> of real time
/// (so at any speed) and brings the twin to the clock's present through <see cref="ISimulatedEstate.AdvanceTo"/>, as the
/// engine's estate loop does. A tick that finds the previous one still running is skipped; the next catches up.
/// </summary>
internal sealed class TwinClockDriver(
    ISimulatedEstate estate,
    [FromKeyedServices(EstateClock.Key)] TimeProvider clock,
    IOptions<SimulationOptions> options,
    ILogger<TwinClockDriver> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan RealTick = TimeSpan.FromMilliseconds(100);

    private ITimer? _timer;
    private int _busy;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Tick();

        // The estate clock's timers run faster by its speed: this period is RealTick in real time.
        _timer = clock.CreateTimer(_ => Tick(), null, RealTick * options.Value.Speed, RealTick * options.Value.Speed);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Tick()
    {
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            return;
        }

        try
        {
            estate.AdvanceTo(clock.GetUtcNow());
        }
        catch (Exception e)
        {
            Log.TickFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
