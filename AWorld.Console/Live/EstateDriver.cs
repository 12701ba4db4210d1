using AWorld.Core.Engine;
using Microsoft.Extensions.Options;

namespace AWorld.Console.Live;

/// <summary>
/// Keeps the estate current: a timer (real time) around the engine's <see cref="EstateLoop"/>, which brings the estate
/// to the estate clock's present and polls, judges, executes and observes once per poll interval. A failing step is
/// logged and retried on the next tick; the views show the data's age meanwhile.
/// </summary>
public sealed partial class EstateDriver(
    EstateLoop loop,
    TimeProvider time,
    IOptions<ConsoleOptions> console,
    ILogger<EstateDriver> logger) : BackgroundService
{
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

    /// <summary>One tick: one step of the loop. Public so that tests drive the console on a fake clock.</summary>
    public Task TickAsync(CancellationToken cancellationToken = default) => loop.StepAsync(cancellationToken);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Estate tick failed; retrying on the next tick.")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
