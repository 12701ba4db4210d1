using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using AWorld.Twin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Shared;

/// <summary>
/// The operations engine as the console registers it, on a twin, a fake clock, and in-memory stores. With the ladder
/// on, each second is one step of the engine's own loop; with it off (the default), the monitor and the executor run
/// alone, so a test sees the guarded path without the ladder acting.
/// </summary>
internal sealed class OperationsHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public OperationsHarness(long seed = 3, OperationsOptions? options = null, Action<EstateOptions>? estate = null, Action<IServiceCollection>? configure = null)
    {
        Services = Engines.OnFakeClock(Time, Engines.Configuration(("Simulation:Seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))), services =>
        {
            services.AddSingleton<IOperationStore>(Store);
            services.AddSingleton<IAuditStore>(AuditStore);
            if (options is not null)
            {
                services.AddSingleton(Options.Create(options));
            }

            if (estate is not null)
            {
                services.Configure(estate);
            }

            configure?.Invoke(services);
        });
        Twin = Services.GetRequiredService<EstateTwin>();
        Stream = Services.GetRequiredService<EstateStateStream>();
        Monitor = Services.GetRequiredService<EstateMonitor>();
        Audit = Services.GetRequiredService<AuditLog>();
        Service = Services.GetRequiredService<OperationService>();
        Executor = Services.GetRequiredService<OperationExecutor>();
        Countermeasures = Services.GetRequiredService<CountermeasurePolicy>();
        Loop = Services.GetRequiredService<EstateLoop>();
    }

    public ServiceProvider Services { get; }

    public CountermeasurePolicy Countermeasures { get; }

    public EstateLoop Loop { get; }

    /// <summary>When set, each second is one step of the engine's loop (the ladder judges every snapshot), as in the console.</summary>
    public bool LadderEnabled { get; set; }

    public FakeTimeProvider Time { get; } = new(Start);

    public EstateTwin Twin { get; }

    public EstateStateStream Stream { get; }

    public EstateMonitor Monitor { get; }

    public MemoryOperationStore Store { get; } = new();

    public InMemoryAuditStore AuditStore { get; } = new();

    public AuditLog Audit { get; }

    public OperationService Service { get; }

    /// <summary>The executor the manual steps use; a test swaps in <see cref="NewExecutor"/> to play a restart.</summary>
    public OperationExecutor Executor { get; set; }

    public static Actor Operator { get; } = new("olivia", RoleNames.Operator);

    public static Actor Approver { get; } = new("martin", RoleNames.Approver);

    public static Actor Admin { get; } = new("ada", RoleNames.Admin);

    /// <summary>A fresh executor over the same store: what a restarted process gets.</summary>
    public OperationExecutor NewExecutor() => ActivatorUtilities.CreateInstance<OperationExecutor>(Services);

    /// <summary>Moves everything on second by second.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            if (LadderEnabled)
            {
                await Loop.StepAsync();
                continue;
            }

            Twin.AdvanceTo(Time.GetUtcNow());
            await Monitor.PollAsync();
            await Executor.TickAsync();
        }
    }

    public async Task<Operation> RunUntilFinishedAsync(string id, TimeSpan limit)
    {
        for (var s = 0; s < limit.TotalSeconds; s++)
        {
            var op = (await Store.GetAsync(id, CancellationToken.None))!;
            if (!op.IsOpen)
            {
                return op;
            }

            await AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        return (await Store.GetAsync(id, CancellationToken.None))!;
    }

    public void Dispose() => Services.Dispose();
}
