using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

/// <summary>A finished drill: the after-action report, the drill's audit entries (for the evidence pack), the raw measurements and the operations it caused.</summary>
public sealed record DrillOutcome(DrillReport Report, IReadOnlyList<AuditEntry> Audit, DrillMeasurements Measurements, IReadOnlyList<Operation> Operations);

/// <summary>A drill's outcome, or why it could not run (each error names the field and the fix).</summary>
public sealed record DrillRunResult(DrillOutcome? Outcome, ImmutableArray<string> Errors)
{
    public bool Succeeded => Outcome is not null;
}

/// <summary>
/// Runs one drill headless on a fresh estate twin, through the same pipeline the console runs: the monitor polls the
/// twin into a snapshot stream, the countermeasure ladder evaluates every snapshot, the operation service plans,
/// checks and audits, the executor carries operations out, every second of virtual time on a manual clock, as fast
/// as the machine allows. Under <see cref="ResponsePolicy.Automatic"/> the ladder acts alone (automatic failover on);
/// under <see cref="ResponsePolicy.Human"/> automatic failover is off and a <see cref="ScriptedResponder"/> plays the
/// operator and the approver. The drill itself (audit, faults, measurement) is a <see cref="DrillSession"/>, which the
/// console drives the same way from its own loop. Operations and audit live in memory (the outcome carries them out).
/// </summary>
/// <remarks>Each <see cref="RunAsync"/> builds its own world, so one runner can run drills concurrently.</remarks>
public sealed class DrillRunner(EstateTopology estate, SimulationOptions? simulation = null, TelemetryOptions? telemetry = null, OperationsOptions? operations = null)
{
    /// <summary>Who runs headless drills, in the audit log.</summary>
    public static readonly Actor RunnerActor = new("aworld-drill", "System");

    private readonly SimulationOptions _simulation = simulation ?? new SimulationOptions();
    private readonly TelemetryOptions _telemetry = telemetry ?? new TelemetryOptions();
    private readonly OperationsOptions _operations = operations ?? new OperationsOptions();

    /// <param name="plan">What to rehearse.</param>
    /// <param name="onSecond">Called with the twin's truth after every virtual second (tests and benchmarks read the ground truth here).</param>
    /// <param name="startAt">When the drill starts on the twin's clock, so that its report is dated in the caller's
    /// calendar (the console's present); null for the twin's fixed default start, which keeps runs reproducible.</param>
    /// <param name="cancellationToken">Stops the drill between two virtual seconds.</param>
    public async Task<DrillRunResult> RunAsync(DrillPlan plan, Action<TwinTruth>? onSecond = null, DateTimeOffset? startAt = null, CancellationToken cancellationToken = default)
    {
        var errors = plan.Validate(estate);
        if (!errors.IsEmpty)
        {
            return new DrillRunResult(null, errors);
        }

        var twin = new EstateTwin(estate, _simulation, startAt, plan.Seed);
        var clock = VirtualClock.Manual(twin.StartTime);
        var stream = new EstateStateStream(clock);
        var series = new SeriesStore(_telemetry.Store);
        var monitor = new EstateMonitor(estate, twin, twin, twin, series, stream, clock, _telemetry, twin, new Anomalies.AnomalyTracker(series));
        var store = new MemoryOperationStore();
        var auditStore = new MemoryAuditStore();
        using var audit = new AuditLog(auditStore, clock);
        using var service = new OperationService(estate, store, twin, stream, audit, clock, _operations.With(autoFailover: plan.Policy == ResponsePolicy.Automatic));
        var executor = new OperationExecutor(service, store, twin, twin, twin, clock, twin);
        var policy = new CountermeasurePolicy(service, _telemetry, clock, audit, twin, twin);
        var responder = plan.Policy == ResponsePolicy.Human
            ? new ScriptedResponder(ScriptedResponder.DefaultOperator, ScriptedResponder.DefaultApprover, plan.EffectiveThinkTime)
            : null;

        var session = new DrillSession(plan, estate, twin, audit, auditStore, clock, RunnerActor);
        service.Changed += session.Observer.ObserveOperation;
        await session.StartAsync(cancellationToken);
        var warmup = (long)plan.EffectiveWarmup.TotalSeconds;
        var limit = warmup + (long)plan.EffectiveObserveFor.TotalSeconds;
        for (long s = 0; s < limit; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (s == warmup)
            {
                await session.InjectAsync(cancellationToken);
            }

            // One virtual second, as the console's driver runs it: twin, poll, ladder, people, executor.
            clock.Advance(TimeSpan.FromSeconds(1));
            twin.AdvanceTo(clock.GetUtcNow());
            var snapshot = await monitor.PollAsync(cancellationToken);
            await policy.EvaluateAsync(snapshot, cancellationToken);
            if (responder is not null)
            {
                await responder.ActAsync(new DrillResponseContext(plan, estate, service, snapshot, clock.GetUtcNow(), session.Fault, session.Observer.DetectedAt), cancellationToken);
            }

            await executor.TickAsync(cancellationToken);
            var truth = twin.Truth();
            await session.ObserveSecondAsync(snapshot, truth, cancellationToken);
            onSecond?.Invoke(truth);
            if (s >= warmup && session.IsDone(await service.RecentAsync(50, cancellationToken)))
            {
                break;
            }
        }

        var outcome = await session.FinishAsync(await service.RecentAsync(1000, cancellationToken), Participants(plan, responder), cancellationToken);
        return new DrillRunResult(outcome, []);
    }

    private static ImmutableArray<DrillParticipant> Participants(DrillPlan plan, ScriptedResponder? responder)
    {
        var list = ImmutableArray.CreateBuilder<DrillParticipant>();
        if (!plan.Participants.IsDefault)
        {
            list.AddRange(plan.Participants);
        }

        list.Add(new DrillParticipant(RunnerActor.Name, RunnerActor.Role, "ran the drill headless: injected the faults and measured"));
        list.Add(new DrillParticipant(Actor.System.Name, Actor.System.Role, plan.Policy == ResponsePolicy.Automatic
            ? "countermeasure ladder: throttling, scale-out and automatic failover"
            : "countermeasure ladder: throttling, scale-out and failover proposals (automatic failover off)"));
        if (responder is not null)
        {
            list.Add(new DrillParticipant(responder.Operator.Name, responder.Operator.Role, $"scripted operator: requests proposals and restores after {DrillObserver.Format(responder.ThinkTime)}"));
            list.Add(new DrillParticipant(responder.Approver.Name, responder.Approver.Role, $"scripted approver: approves after {DrillObserver.Format(responder.ThinkTime)}"));
        }

        return list.ToImmutable();
    }

}
