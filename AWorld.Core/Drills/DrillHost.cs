using System.Collections.Immutable;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Drills;

/// <summary>The drill now running on the pipeline: its plan, start and timeline so far.</summary>
public sealed record LiveDrillView(string DrillId, DrillPlan Plan, DateTimeOffset StartedAt, ImmutableArray<DrillTimelineEvent> Timeline, DrillMeasurements Measurements);

/// <summary>
/// What drill views follow: the drill now running (null when none) and a revision that moves whenever a drill starts,
/// ends or has its report changed, so that a view reloads the history only then.
/// </summary>
public sealed record DrillActivity(LiveDrillView? Live, long Revision)
{
    public static DrillActivity Idle { get; } = new(null, 0);
}

/// <summary>The drill activity as a live stream: the host publishes it after every step of a running drill.</summary>
public sealed class DrillActivityStream(TimeProvider time) : StateStream<DrillActivity>(time, TimeSpan.FromMilliseconds(250));

/// <summary>
/// How a drill starts on the host. <paramref name="Actor"/> is who the audit log names for the drill's own entries;
/// <paramref name="Participants"/> come first in the report; the faults go in after <paramref name="Warmup"/> (zero
/// on a live estate, which is warm already). A <paramref name="Responder"/> plays the people (headless human-policy
/// drills); <paramref name="OnTruth"/> sees the ground truth of every step (tests and benchmarks).
/// </summary>
public sealed record DrillStart(
    Actor Actor,
    ImmutableArray<DrillParticipant> Participants,
    TimeSpan Warmup = default,
    IDrillResponder? Responder = null,
    Action<EstateTruth>? OnTruth = null);

/// <summary>A started drill: its id, and the outcome once it has ended.</summary>
public sealed record DrillRun(string DrillId, DateTimeOffset StartedAt, Task<DrillOutcome> Completion);

/// <summary>
/// Keeps drills for a host: the console stores them and their evidence packs; a headless run registers none. Called
/// on the estate loop's thread.
/// </summary>
public interface IDrillRecorder
{
    Task StartedAsync(DrillSession session, DrillStart start, CancellationToken cancellationToken);

    Task CompletedAsync(DrillOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The drill could not be completed (its report could not be written); <paramref name="reason"/> says why.</summary>
    Task FailedAsync(string drillId, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// Runs at most one drill on the pipeline it observes, the same way wherever that pipeline runs: the console's live
/// estate, or a fresh headless estate in a <see cref="DrillRunner"/>. Started with <see cref="StartAsync"/>, it is then
/// fed by the <see cref="EstateLoop"/> after every step (as an <see cref="IEstateObserver"/>): it injects the faults
/// once the warm-up is over, lets a responder act, hands the operations that changed and the ground truth to the
/// <see cref="DrillSession"/>, and finishes the drill when it has seen recovery or runs out of time, passing the
/// outcome to every <see cref="IDrillRecorder"/> and to the run's completion.
/// </summary>
/// <remarks>
/// Thread-safe for <see cref="StartAsync"/> and the views; the session itself is touched only on the loop's thread
/// (a start from a request thread takes effect between two steps). Drills need a fault injector and a ground truth:
/// the twin gives both; an estate without them refuses to start drills.
/// </remarks>
public sealed class DrillHost(
    EstateTopology estate,
    AuditLog audit,
    IAuditStore auditStore,
    OperationService operations,
    [FromKeyedServices(EstateClock.Key)] TimeProvider clock,
    DrillActivityStream activity,
    IEnumerable<IDrillRecorder> recorders,
    IFaultInjector? injector = null,
    IGroundTruth? truth = null) : IEstateObserver
{
    private readonly Lock _gate = new();
    private readonly IDrillRecorder[] _recorders = [.. recorders];
    private Running? _running;
    private bool _starting;

    /// <summary>The live drill and the history's revision, as a stream for views.</summary>
    public DrillActivityStream Activity => activity;

    /// <summary>The drill now running, as of the last step; null when none runs.</summary>
    public LiveDrillView? Live => activity.Current?.Live;

    /// <summary>Whether this estate can run drills at all (it has a fault injector and a ground truth).</summary>
    public bool CanRunDrills => injector is not null && truth is not null;

    /// <summary>Starts a drill: audits its start, schedules its background faults, and injects at once when there is no warm-up.</summary>
    public async Task<Outcome<DrillRun>> StartAsync(DrillPlan plan, DrillStart start, CancellationToken cancellationToken = default)
    {
        var errors = plan.Validate(estate);
        if (!errors.IsEmpty)
        {
            return Failure.Invalid(string.Join("; ", errors));
        }

        if (injector is null || truth is null)
        {
            return Failure.Refused("This estate cannot run drills: it has no fault injector and no ground truth (the twin has both; set Estate:Provider=Simulation).");
        }

        lock (_gate)
        {
            if (_running is not null || _starting)
            {
                return Failure.Conflict($"Drill {_running?.Session.DrillId ?? "(starting)"} is still running; one live drill at a time. Wait for it to end, or run this one at full speed.");
            }

            _starting = true;
        }

        try
        {
            var session = new DrillSession(plan, estate, injector, truth, audit, auditStore, clock, start.Actor);
            var running = new Running(session, start);
            foreach (var op in (await operations.BoardAsync(cancellationToken)).Operations)
            {
                // Only what changes from here on belongs to the drill.
                running.Seen[op.Id] = op.Version;
            }

            foreach (var recorder in _recorders)
            {
                await recorder.StartedAsync(session, start, cancellationToken);
            }

            await session.StartAsync(cancellationToken);
            if (start.Warmup <= TimeSpan.Zero)
            {
                await InjectAsync(running, cancellationToken);
            }

            lock (_gate)
            {
                _running = running;
            }

            Publish(running, historyChanged: true);
            return Outcome<DrillRun>.Ok(new DrillRun(session.DrillId, session.StartedAt, running.Completion.Task));
        }
        finally
        {
            lock (_gate)
            {
                _starting = false;
            }
        }
    }

    /// <summary>One step of the loop: injects when due, lets the responder act, observes, and finishes the drill when it is over.</summary>
    public async Task ObserveAsync(EstateSnapshot snapshot, CancellationToken cancellationToken)
    {
        Running? running;
        lock (_gate)
        {
            running = _running;
        }

        if (running is null)
        {
            return;
        }

        var session = running.Session;
        var plan = session.Plan;
        var now = clock.GetUtcNow();
        if (running.InjectedAt is null && now - session.StartedAt >= running.Start.Warmup)
        {
            await InjectAsync(running, cancellationToken);
        }

        if (running.Start.Responder is { } responder)
        {
            await responder.ActAsync(new DrillResponseContext(plan, estate, operations, snapshot, now, session.Fault, session.Observer.DetectedAt), cancellationToken);
        }

        var board = await operations.BoardAsync(cancellationToken);
        foreach (var op in board.Operations.Reverse())
        {
            if (!running.Seen.TryGetValue(op.Id, out var version) || version != op.Version)
            {
                running.Seen[op.Id] = op.Version;
                session.Observer.ObserveOperation(op);
            }
        }

        var sample = await truth!.ReadAsync(cancellationToken);
        await session.ObserveSecondAsync(snapshot, sample, cancellationToken);
        running.Start.OnTruth?.Invoke(sample);
        if (running.InjectedAt is { } injectedAt)
        {
            var timedOut = now - injectedAt >= plan.EffectiveObserveFor;
            if (timedOut || session.IsDone(board.Operations))
            {
                await FinishAsync(running, board, timedOut, cancellationToken);
                return;
            }
        }

        Publish(running, historyChanged: false);
    }

    /// <summary>Tells the views that the history changed outside a run (a report signed off, a drill run elsewhere).</summary>
    public void HistoryChanged()
    {
        lock (_gate)
        {
            var current = activity.Current ?? DrillActivity.Idle;
            activity.Publish(current with { Revision = current.Revision + 1 });
        }
    }

    private async Task InjectAsync(Running running, CancellationToken cancellationToken)
    {
        await running.Session.InjectAsync(cancellationToken);
        running.InjectedAt = clock.GetUtcNow();
    }

    private async Task FinishAsync(Running running, OperationBoard board, bool timedOut, CancellationToken cancellationToken)
    {
        var session = running.Session;
        try
        {
            if (timedOut)
            {
                session.Observer.AddDeviation($"The drill ended after {Formats.Duration(session.Plan.EffectiveObserveFor)} without seeing everything it waits for (recovery, the faults over, no operation in flight).");
            }

            var outcome = await session.FinishAsync(board.Operations, Participants(running, board), cancellationToken);
            foreach (var recorder in _recorders)
            {
                await recorder.CompletedAsync(outcome, cancellationToken);
            }

            running.Completion.TrySetResult(outcome);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var recorder in _recorders)
            {
                await recorder.FailedAsync(session.DrillId, ex.Message, cancellationToken);
            }

            running.Completion.TrySetException(ex);
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                var current = activity.Current ?? DrillActivity.Idle;
                activity.Publish(new DrillActivity(null, current.Revision + 1));
            }
        }
    }

    /// <summary>
    /// Who took part: the starter's lines, the plan's, every person who requested or approved an operation during the
    /// drill, the ladder, and the scripted people of a responder.
    /// </summary>
    private ImmutableArray<DrillParticipant> Participants(Running running, OperationBoard board)
    {
        var session = running.Session;
        var list = ImmutableArray.CreateBuilder<DrillParticipant>();
        list.AddRange(running.Start.Participants.IsDefault ? [] : running.Start.Participants);
        list.AddRange(session.Plan.Participants.IsDefault ? [] : session.Plan.Participants);
        var scripted = running.Start.Responder as ScriptedResponder;
        var people = board.Operations.Where(o => o.RequestedAt >= session.StartedAt)
            .SelectMany(o => new[] { (o.RequestedBy, o.RequestedRole, "requested an operation"), (o.ApprovedBy, (string?)RoleNames.Approver, "approved an operation") })
            .Where(p => p.Item1 is not null && p.Item1 != Actor.System.Name && p.Item1 != scripted?.Operator.Name && p.Item1 != scripted?.Approver.Name)
            .Distinct()
            .Select(p => new DrillParticipant(p.Item1!, p.Item2 ?? "", p.Item3));
        list.AddRange(people);
        list.Add(new DrillParticipant(Actor.System.Name, Actor.System.Role, operations.Options.AutoFailover
            ? "countermeasure ladder: throttling, scale-out and automatic failover"
            : "countermeasure ladder: throttling, scale-out and failover proposals (automatic failover off)"));
        if (scripted is not null)
        {
            list.Add(new DrillParticipant(scripted.Operator.Name, scripted.Operator.Role, $"scripted operator: requests proposals and restores after {Formats.Duration(scripted.ThinkTime)}"));
            list.Add(new DrillParticipant(scripted.Approver.Name, scripted.Approver.Role, $"scripted approver: approves after {Formats.Duration(scripted.ThinkTime)}"));
        }

        return list.ToImmutable();
    }

    private void Publish(Running running, bool historyChanged)
    {
        var session = running.Session;
        var view = new LiveDrillView(session.DrillId, session.Plan, session.StartedAt, [.. session.Observer.Timeline.OrderBy(e => e.At)], session.Observer.Measure());
        lock (_gate)
        {
            var current = activity.Current ?? DrillActivity.Idle;
            activity.Publish(new DrillActivity(view, historyChanged ? current.Revision + 1 : current.Revision));
        }
    }

    /// <summary>A running drill: its session (touched only on the loop's thread), how it started, the operation versions seen.</summary>
    private sealed class Running(DrillSession session, DrillStart start)
    {
        public DrillSession Session { get; } = session;

        public DrillStart Start { get; } = start;

        public Dictionary<string, long> Seen { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? InjectedAt { get; set; }

        public TaskCompletionSource<DrillOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
