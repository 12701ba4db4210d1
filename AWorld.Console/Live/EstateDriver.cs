using AWorld.Core;
using AWorld.Core.Operations;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Live;

/// <summary>
/// Keeps the estate current: every tick (real time) it advances the twin to the estate clock's present and, once
/// per poll interval of estate time, polls the sources through the monitor, which publishes the snapshot. A failing
/// poll is logged and retried on the next tick; the views show the data's age meanwhile. After each poll the
/// operations executor moves approved operations on, and a live drill's observer sees the poll.
/// </summary>
public sealed partial class EstateDriver(
    EstateMonitor monitor,
    IServiceProvider services,
    TimeProvider time,
    IOptions<ConsoleOptions> console,
    IOptions<TelemetryOptions> telemetry,
    ILogger<EstateDriver> logger) : BackgroundService
{
    private readonly EstateTwin? _twin = services.GetService<EstateTwin>();
    private readonly TimeProvider _estateClock = services.GetRequiredKeyedService<TimeProvider>(EstateClock.Key);
    private readonly OperationExecutor? _executor = services.GetService<OperationExecutor>();
    private readonly CountermeasurePolicy? _countermeasures = services.GetService<CountermeasurePolicy>();
    private readonly Drills.DrillCoordinator? _drills = services.GetService<Drills.DrillCoordinator>();
    private DateTimeOffset _lastPoll = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!console.Value.DriverEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(console.Value.DriverTick, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One tick: advance the twin, poll when due. Public so that tests can drive it on a fake clock.</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        var now = _estateClock.GetUtcNow();
        _twin?.AdvanceTo(now);
        if (now - _lastPoll >= telemetry.Value.PollInterval)
        {
            _lastPoll = now;
            var snapshot = await monitor.PollAsync(cancellationToken);
            if (_countermeasures is not null)
            {
                await _countermeasures.EvaluateAsync(snapshot, cancellationToken);
            }

            if (_executor is not null)
            {
                await _executor.TickAsync(cancellationToken);
            }

            if (_drills is not null)
            {
                await _drills.ObserveAsync(snapshot, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Estate tick failed; retrying on the next tick.")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
