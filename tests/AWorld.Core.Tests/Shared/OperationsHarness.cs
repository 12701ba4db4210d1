using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Shared;

/// <summary>The operations engine on a twin, a fake clock, the real monitor and an in-memory store and audit.</summary>
internal sealed class OperationsHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public OperationsHarness(long seed = 3, OperationsOptions? options = null, Action<EstateOptions>? estate = null)
    {
        var estateOptions = new EstateOptions();
        estate?.Invoke(estateOptions);
        Twin = new EstateTwin(EstateTopology.From(estateOptions), new SimulationOptions { Seed = seed }, Start);
        Stream = new EstateStateStream(Time);
        Monitor = new EstateMonitor(Twin.Estate, Twin, Twin, Twin, new SeriesStore(), Stream, Time, new TelemetryOptions(), Twin);
        Audit = new AuditLog(AuditStore, Time);
        Service = new OperationService(Twin.Estate, Store, Twin, Stream, Audit, Time, options ?? new OperationsOptions());
        Executor = NewExecutor();
        Countermeasures = new CountermeasurePolicy(Service, new TelemetryOptions(), Time, Audit, Twin, Twin);
    }

    public CountermeasurePolicy Countermeasures { get; }

    /// <summary>When set, the ladder evaluates every snapshot, as the console's driver does.</summary>
    public bool LadderEnabled { get; set; }

    public FakeTimeProvider Time { get; } = new(Start);

    public EstateTwin Twin { get; }

    public EstateStateStream Stream { get; }

    public EstateMonitor Monitor { get; }

    public MemoryOperationStore Store { get; } = new();

    public InMemoryAuditStore AuditStore { get; } = new();

    public AuditLog Audit { get; }

    public OperationService Service { get; }

    public OperationExecutor Executor { get; set; }

    public static Actor Operator { get; } = new("olivia", RoleNames.Operator);

    public static Actor Approver { get; } = new("martin", RoleNames.Approver);

    public static Actor Admin { get; } = new("ada", RoleNames.Admin);

    /// <summary>A fresh executor over the same store: what a restarted process gets.</summary>
    public OperationExecutor NewExecutor() => new(Service, Store, Twin, Twin, Twin, Time, Twin);

    /// <summary>Moves everything on second by second: twin, monitor, executor.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Twin.AdvanceTo(Time.GetUtcNow());
            var snapshot = await Monitor.PollAsync();
            if (LadderEnabled)
            {
                await Countermeasures.EvaluateAsync(snapshot);
            }

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

    public void Dispose()
    {
        Service.Dispose();
        Audit.Dispose();
    }
}
