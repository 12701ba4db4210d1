using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Operations;

/// <summary>
/// Runs approved operations step by step. Each step's intent is journaled before acting and its outcome after, so a
/// restart resumes from the journal: a step with an outcome is never repeated, and a step with only an intent is
/// re-checked before acting again (every action checks whether its effect is already in place). When a step fails
/// or its effect cannot be verified in time, what can be undone is undone. One operation runs at a time, under a
/// lease whose fencing token is written with every journal line.
/// </summary>
/// <remarks>
/// What a later step or a roll-back needs is written in the journal's structured fields, never read back from its
/// prose: a weight change's intent records the weights before it (<see cref="StepRecord.PreviousWeights"/>) and its
/// outcome the Route 53 change (<see cref="StepRecord.ChangeId"/>); a table switch's intent records the table in use
/// before it (<see cref="StepRecord.PreviousTable"/>). An intent is written before acting, so a crash between the
/// act and its outcome still leaves what a roll-back needs.
/// </remarks>
/// <remarks>Call <see cref="TickAsync"/> periodically (the console's driver does); it never blocks on a wait.</remarks>
public sealed class OperationExecutor(
    OperationService service,
    IOperationStore store,
    ITrafficRouter router,
    IGlobalTableAdmin tables,
    ITrafficObserver traffic,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time,
    ITableRouting? tableRouting = null)
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromMinutes(2);
    private (string? Operation, long Token, DateTimeOffset Until) _lease;

    /// <summary>Tests inject crashes here: called with the step index and "after-act" or "after-outcome".</summary>
    public Func<int, string, Task>? FaultHook { get; set; }

    private OperationsOptions Options => service.Options;

    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        var open = await store.OpenAsync(cancellationToken);
        foreach (var op in open.Where(o => o.State is OperationState.Approved or OperationState.Executing).OrderBy(o => o.RequestedAt))
        {
            await AdvanceAsync(op, cancellationToken);
        }
    }

    private async Task AdvanceAsync(Operation op, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            if (op.State == OperationState.Approved)
            {
                var started = await StartAsync(op, now, cancellationToken);
                if (started is null)
                {
                    return;
                }

                op = started;
            }

            var token = await LeaseAsync(op.Id, now, cancellationToken);
            if (token is null)
            {
                return;
            }

            // Bounded: at most one pass over the plan per tick.
            for (var pass = 0; pass <= op.Plan.Steps.Length; pass++)
            {
                var index = op.NextStep;
                if (index >= op.Plan.Steps.Length)
                {
                    await FinishAsync(op, OperationState.Completed, "Completed and verified.", cancellationToken);
                    return;
                }

                var step = op.Plan.Steps[index];
                // The rules hold before each step and for as long as a step waits for its effect.
                var checks = await service.CheckAsync(op, cancellationToken);
                if (!SafetyRules.AllPass(checks))
                {
                    await FailAsync(op with { Checks = checks }, index, "A safety rule no longer holds: " + SafetyRules.Blocking(checks), token.Value, cancellationToken);
                    return;
                }

                var intent = op.Journal.LastOrDefault(j => j.Index == index && j.Status == StepStatus.Started);
                if (intent is null)
                {
                    intent = await IntentAsync(op, step, now, token.Value, cancellationToken);
                    op = await service.SaveAsync(op with { Checks = checks, Journal = op.Journal.Add(intent) }, cancellationToken);
                }

                var acted = await ActAsync(op, step, intent, cancellationToken);
                var (status, detail) = (acted.Status, acted.Detail);
                if (FaultHook is not null)
                {
                    await FaultHook(index, "after-act");
                }

                switch (status)
                {
                    case StepStatus.Succeeded:
                        var outcome = new StepRecord(index, StepStatus.Succeeded, time.GetUtcNow(), detail, token.Value, acted.ChangeId, acted.PreviousWeights, acted.PreviousTable);
                        op = await service.SaveAsync(op with { Journal = op.Journal.Add(outcome) }, cancellationToken);
                        await service.AuditAsync(Actor.System, "operation.step", op, $"step {index + 1} succeeded", $"{step.Title}: {detail}", cancellationToken);
                        if (FaultHook is not null)
                        {
                            await FaultHook(index, "after-outcome");
                        }

                        continue;
                    case StepStatus.Waiting when time.GetUtcNow() - intent.At > TimeoutOf(op, step):
                        await FailAsync(op, index, $"Not verified within {TimeoutOf(op, step)}: {detail}", token.Value, cancellationToken);
                        return;
                    case StepStatus.Waiting:
                        return;
                    default:
                        await FailAsync(op, index, detail, token.Value, cancellationToken);
                        return;
                }
            }
        }
        catch (OperationConflictException)
        {
            // Another executor or an approver moved it on; the next tick reads the new state.
        }
    }

    /// <summary>Approved → Executing, after the approval's expiry, the plan's hash and every rule are checked once more.</summary>
    private async Task<Operation?> StartAsync(Operation op, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (op.ApprovedAt is { } approvedAt && now > approvedAt + Options.ApprovalTimeout)
        {
            await FinishAsync(op, OperationState.Expired, $"The approval lapsed: not started within {Options.ApprovalTimeout}.", cancellationToken);
            return null;
        }

        var replanned = await service.ReplanAsync(op, cancellationToken);
        if (replanned.Plan is null || replanned.Plan.Hash != op.Plan.Hash)
        {
            var changed = await service.SaveAsync(op with { State = OperationState.PendingApproval, ApprovedBy = null, ApprovedAt = null, DataAtRiskAccepted = false, Plan = replanned.Plan ?? op.Plan }, cancellationToken);
            await service.AuditAsync(Actor.System, "operation.execute", changed, "approval void", replanned.Failure?.Message ?? "the plan changed materially after approval; it must be approved again", cancellationToken);
            return null;
        }

        var checks = await service.CheckAsync(op, cancellationToken);
        if (!SafetyRules.AllPass(checks))
        {
            await FinishAsync(op with { Checks = checks }, OperationState.Failed, "Blocked before the first step: " + SafetyRules.Blocking(checks), cancellationToken);
            return null;
        }

        if (await LeaseAsync(op.Id, now, cancellationToken) is null)
        {
            return null;
        }

        var executing = await service.SaveAsync(op with { State = OperationState.Executing, Checks = checks, Plan = replanned.Plan }, cancellationToken);
        await service.AuditAsync(Actor.System, "operation.execute", executing, "started", $"approved by {op.ApprovedBy}", cancellationToken);
        return executing;
    }

    /// <summary>Takes or renews the lease; a lease held with more than half its time left is not written again.</summary>
    private async Task<long?> LeaseAsync(string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lease.Operation == operationId && _lease.Until - now > LeaseTtl / 2)
        {
            return _lease.Token;
        }

        var token = await store.AcquireLeaseAsync(operationId, now, LeaseTtl, cancellationToken);
        _lease = token is { } t ? (operationId, t, now + LeaseTtl) : default;
        return token;
    }

    /// <summary>
    /// The intent line of a step, with what the step is about to change as it stands now, so that a roll-back knows
    /// it even if the process dies right after acting. When that cannot be read, the step itself will fail the same
    /// way; the line is written without it.
    /// </summary>
    private async Task<StepRecord> IntentAsync(Operation op, PlanStep step, DateTimeOffset now, long token, CancellationToken cancellationToken)
    {
        var intent = new StepRecord(step.Index, StepStatus.Started, now, $"intent: {step.Call}", token);
        try
        {
            return step.Action switch
            {
                StepAction.ChangeWeights => intent with { PreviousWeights = WeightsOf(await router.ListRecordsAsync(cancellationToken)) },
                StepAction.SwitchTable when tableRouting is not null =>
                    intent with { PreviousTable = await tableRouting.GetActiveTableAsync(op.Plan.RestoreTable!, op.Plan.From, cancellationToken) },
                _ => intent,
            };
        }
        catch (EstateServiceException)
        {
            return intent;
        }
    }

    /// <summary>
    /// Acts once for a step. Besides its status and the text for people, it gives the outcome line's structured
    /// fields: what stood before (from the intent when it recorded it) and what the act itself produced (a change id).
    /// </summary>
    private async Task<Acted> ActAsync(Operation op, PlanStep step, StepRecord intent, CancellationToken cancellationToken)
    {
        var plan = op.Plan;
        try
        {
            switch (step.Action)
            {
                case StepAction.ChangeWeights:
                {
                    var records = await router.ListRecordsAsync(cancellationToken);
                    var before = intent.PreviousWeights ?? WeightsOf(records);
                    var changes = plan.TargetWeights.Where(kv => records.FirstOrDefault(r => r.Region == kv.Key)?.Weight != kv.Value)
                        .Select(kv => new WeightChange(kv.Key, kv.Value)).ToList();
                    if (changes.Count == 0)
                    {
                        return new Acted(StepStatus.Succeeded, "weights already in place", PreviousWeights: before);
                    }

                    var change = await router.ChangeWeightsAsync(changes, $"{op.Id}: {op.Request.Reason}", cancellationToken);
                    return new Acted(StepStatus.Succeeded, $"change {change.Id}", change.Id, before);
                }

                case StepAction.AwaitDnsInSync:
                {
                    var changeId = ChangeIdOf(op);
                    if (changeId is null)
                    {
                        return new Acted(StepStatus.Succeeded, "no change was needed");
                    }

                    var info = await router.GetChangeAsync(changeId, cancellationToken);
                    return info.Status == ChangeStatus.InSync ? new Acted(StepStatus.Succeeded, $"change {changeId} INSYNC") : new Acted(StepStatus.Waiting, $"change {changeId} still PENDING");
                }

                case StepAction.VerifyTrafficMoved:
                {
                    var share = await traffic.SentShareAsync(plan.From, cancellationToken);
                    var text = string.Create(CultureInfo.InvariantCulture, $"{plan.From} receives {share:P1} of client traffic");

                    // Failback counts as verified once the region has at least half the share its weight gives it.
                    var total = plan.TargetWeights.Values.Sum();
                    var expected = total > 0 ? (double)plan.TargetWeights.GetValueOrDefault(plan.From) / total : 0;
                    var done = op.Request.Kind == OperationKind.Failover ? share <= Options.DrainedShare : share >= Math.Max(Options.DrainedShare, expected / 2);
                    return new Acted(done ? StepStatus.Succeeded : StepStatus.Waiting, text);
                }

                case StepAction.StartRestore:
                {
                    if (await TableExistsAsync(plan.RestoreTarget!, plan.From, cancellationToken))
                    {
                        return new Acted(StepStatus.Succeeded, $"{plan.RestoreTarget} already exists: the restore was started before");
                    }

                    var table = await tables.RestoreTableToPointInTimeAsync(
                        new RestoreTableToPointInTimeRequest(plan.RestoreTable!, plan.RestoreTarget!, plan.From, plan.PointInTime, false), cancellationToken);
                    return new Acted(StepStatus.Succeeded, $"restore of {table.TableName} started");
                }

                case StepAction.VerifyRestore:
                {
                    var table = await tables.DescribeTableAsync(plan.RestoreTarget!, plan.From, cancellationToken);
                    if (table.Status == TableStatus.Creating)
                    {
                        return new Acted(StepStatus.Waiting, $"{table.TableName} is still CREATING");
                    }

                    if (op.Request.Kind == OperationKind.Cutover)
                    {
                        return table.Status == TableStatus.Active && table.RestoreSummary is not null
                            ? new Acted(StepStatus.Succeeded, $"{table.TableName} ACTIVE, restored to {table.RestoreSummary.RestoreDateTime:O}")
                            : new Acted(StepStatus.Failed, $"{table.TableName} is {table.Status}{(table.RestoreSummary is null ? ", and not a restored table" : "")}");
                    }

                    return table.Status == TableStatus.Active && table.RestoreSummary?.RestoreDateTime == plan.PointInTime
                        ? new Acted(StepStatus.Succeeded, $"{table.TableName} ACTIVE, restored to {plan.PointInTime:O}")
                        : new Acted(StepStatus.Failed, $"{table.TableName} is {table.Status} restored to {table.RestoreSummary?.RestoreDateTime:O}, not {plan.PointInTime:O}");
                }

                case StepAction.SwitchTable:
                {
                    var routing = tableRouting ?? throw new EstateServiceException("AppConfig", plan.From, "NotConfigured", "No table routing is configured for cutovers.");
                    var current = await routing.GetActiveTableAsync(plan.RestoreTable!, plan.From, cancellationToken);
                    var previous = intent.PreviousTable ?? current;
                    if (current == plan.RestoreTarget)
                    {
                        return new Acted(StepStatus.Succeeded, $"already using {current}", PreviousTable: previous);
                    }

                    await routing.SetActiveTableAsync(plan.RestoreTable!, plan.From, plan.RestoreTarget!, cancellationToken);
                    return new Acted(StepStatus.Succeeded, $"switched from {current} to {plan.RestoreTarget}", PreviousTable: previous);
                }

                case StepAction.VerifyCutover:
                {
                    var current = await tableRouting!.GetActiveTableAsync(plan.RestoreTable!, plan.From, cancellationToken);
                    return current == plan.RestoreTarget ? new Acted(StepStatus.Succeeded, $"the application uses {current}") : new Acted(StepStatus.Waiting, $"the application still uses {current}");
                }

                default:
                    return new Acted(StepStatus.Failed, $"unknown step {step.Action}");
            }
        }
        catch (EstateServiceException ex)
        {
            return new Acted(StepStatus.Failed, ex.Message);
        }
    }

    /// <summary>A restore waits for the new table as long as restores take; every other step gets the step timeout.</summary>
    private TimeSpan TimeoutOf(Operation op, PlanStep step) =>
        op.Request.Kind == OperationKind.Restore && step.Action == StepAction.VerifyRestore ? Options.RestoreTimeout : Options.StepTimeout;

    private async Task FailAsync(Operation op, int index, string detail, long token, CancellationToken cancellationToken)
    {
        op = await service.SaveAsync(op with { Journal = op.Journal.Add(new StepRecord(index, StepStatus.Failed, time.GetUtcNow(), detail, token)) }, cancellationToken);
        await service.AuditAsync(Actor.System, "operation.step", op, $"step {index + 1} failed", detail, cancellationToken);

        try
        {
            if (await CompensateAsync(op, index, detail, token, cancellationToken))
            {
                return;
            }
        }
        catch (EstateServiceException ex)
        {
            // The undo could not be sent (the region's API is down, or writes are off): say so, never retry the step.
            await FinishAsync(op, OperationState.Failed, $"Step {index + 1} failed ({detail}); the roll back could not be made: {ex.Message} Check the estate by hand.", cancellationToken);
            return;
        }

        var note = op.Request.Kind == OperationKind.Restore && op.Journal.Any(j => j.Status == StepStatus.Succeeded)
            ? $" The table {op.Plan.RestoreTarget} may exist and is left for inspection."
            : "";
        await FinishAsync(op, OperationState.Failed, $"Step {index + 1} failed: {detail}.{note}", cancellationToken);
    }

    /// <summary>Undoes what can be undone after a failed step; true when it did (and finished the operation as rolled back).</summary>
    private async Task<bool> CompensateAsync(Operation op, int index, string detail, long token, CancellationToken cancellationToken)
    {
        // Undo what can be undone: a weight change is reverted to the weights its journal line says stood before it
        // (the plan's, on lines stored before the journal recorded them: the two agree, as the plan is re-made at start).
        var changed = Succeeded(op, StepAction.ChangeWeights);
        if (changed is not null)
        {
            var before = changed.PreviousWeights ?? op.Plan.PreviousWeights;
            var records = await router.ListRecordsAsync(cancellationToken);
            var revert = before.Where(kv => records.FirstOrDefault(r => r.Region == kv.Key)?.Weight != kv.Value)
                .Select(kv => new WeightChange(kv.Key, kv.Value)).ToList();
            var what = "weights already as before";
            string? revertId = null;
            if (revert.Count > 0)
            {
                revertId = (await router.ChangeWeightsAsync(revert, $"{op.Id}: roll back", cancellationToken)).Id;
                what = $"weights restored by change {revertId}";
            }

            var undone = new StepRecord(changed.Index, StepStatus.Compensated, time.GetUtcNow(), what, token, revertId, before);
            op = await service.SaveAsync(op with { Journal = op.Journal.Add(undone) }, cancellationToken);
            await FinishAsync(op, OperationState.RolledBack, $"Step {index + 1} failed ({detail}); rolled back: {what}.", cancellationToken);
            return true;
        }

        // A table switch is undone only when it moved the application away from another table.
        var switched = Succeeded(op, StepAction.SwitchTable);
        if (switched?.PreviousTable is { } previous && previous != op.Plan.RestoreTarget && tableRouting is not null)
        {
            await tableRouting.SetActiveTableAsync(op.Plan.RestoreTable!, op.Plan.From, previous, cancellationToken);
            var undone = new StepRecord(switched.Index, StepStatus.Compensated, time.GetUtcNow(), $"switched back to {previous}", token, PreviousTable: previous);
            op = await service.SaveAsync(op with { Journal = op.Journal.Add(undone) }, cancellationToken);
            await FinishAsync(op, OperationState.RolledBack, $"Step {index + 1} failed ({detail}); rolled back: the application uses {previous} again.", cancellationToken);
            return true;
        }

        return false;
    }

    private async Task FinishAsync(Operation op, OperationState state, string outcome, CancellationToken cancellationToken)
    {
        var finished = await service.SaveAsync(op with { State = state, Outcome = outcome, FinishedAt = time.GetUtcNow() }, cancellationToken);
        await store.ReleaseLeaseAsync(op.Id, cancellationToken);
        _lease = default;
        await service.AuditAsync(Actor.System, "operation.finish", finished, state.ToString().ToLowerInvariant(), outcome, cancellationToken);
    }

    private async Task<bool> TableExistsAsync(string table, string region, CancellationToken cancellationToken)
    {
        try
        {
            await tables.DescribeTableAsync(table, region, cancellationToken);
            return true;
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            return false;
        }
    }

    /// <summary>The Route 53 change the weight step submitted; null when none was needed (or the outcome never got written).</summary>
    private static string? ChangeIdOf(Operation op) => Succeeded(op, StepAction.ChangeWeights)?.ChangeId;

    /// <summary>The outcome line of the plan's step with this action, if it succeeded.</summary>
    private static StepRecord? Succeeded(Operation op, StepAction action) =>
        op.Journal.LastOrDefault(j => j.Status == StepStatus.Succeeded && op.Plan.Steps[j.Index].Action == action);

    private static ImmutableDictionary<string, int> WeightsOf(IReadOnlyList<TrafficRecord> records) => records.ToImmutableDictionary(r => r.Region, r => r.Weight);

    /// <summary>What one act did: its status, the text for people, and the structured fields of its outcome line.</summary>
    private sealed record Acted(StepStatus Status, string Detail, string? ChangeId = null, ImmutableDictionary<string, int>? PreviousWeights = null, string? PreviousTable = null);
}
