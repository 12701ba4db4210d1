using System.Collections.Immutable;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Operations;

/// <summary>
/// The answer to a request, an approval or a rejection: the operation, or a <see cref="Failure"/> saying why not. A
/// refusal by the safety rules (<see cref="FailureKind.Refused"/>) carries the checks, and the operation as planned
/// when there is one; a <see cref="FailureKind.Forbidden"/> refusal carries nothing.
/// </summary>
public sealed record OperationResult(Operation? Operation, OperationPlan? Plan, ImmutableArray<RuleResult> Checks, Failure? Failure)
{
    public bool Succeeded => Failure is null;

    public static OperationResult Ok(Operation operation, ImmutableArray<RuleResult> checks) => new(operation, operation.Plan, checks, null);

    public static OperationResult Fail(Failure failure, Operation? operation = null, ImmutableArray<RuleResult> checks = default) =>
        new(operation, operation?.Plan, checks.IsDefault ? [] : checks, failure);

    public static implicit operator OperationResult(Failure failure) => Fail(failure);
}

/// <summary>
/// The guarded path: request → plan → checks → approval by a different person with the Approver role, bound to
/// the plan's hash and expiring → execution (see <see cref="OperationExecutor"/>). Every transition is written to
/// the audit log. Expected refusals are results with a reason, never exceptions.
/// </summary>
public sealed class OperationService : IDisposable
{
    private readonly EstateTopology _estate;
    private readonly IOperationStore _store;
    private readonly ITrafficRouter _router;
    private readonly EstateStateStream _stream;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly OperationsOptions _options;
    private readonly OperationsStream _board;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _boardGate = new();
    private readonly SemaphoreSlim _boardLoad = new(1, 1);

    public OperationService(
        EstateTopology estate,
        IOperationStore store,
        ITrafficRouter router,
        EstateStateStream stream,
        AuditLog audit,
        [FromKeyedServices(EstateClock.Key)] TimeProvider time,
        IOptions<OperationsOptions> options,
        OperationsStream board)
    {
        _estate = estate;
        _store = store;
        _router = router;
        _stream = stream;
        _audit = audit;
        _time = time;
        _options = options.Value;
        _board = board;
    }

    public void Dispose()
    {
        _gate.Dispose();
        _boardLoad.Dispose();
    }

    /// <summary>
    /// The live board of operations (open ones and the newest finished), published after every saved change. Views
    /// subscribe to it instead of reading the store; call <see cref="BoardAsync"/> once to make sure it is loaded.
    /// </summary>
    public OperationsStream Board => _board;

    /// <summary>The board as it stands, loaded from the store on first use.</summary>
    public async Task<OperationBoard> BoardAsync(CancellationToken cancellationToken = default)
    {
        await EnsureBoardAsync(cancellationToken);
        return _board.Current ?? OperationBoard.Empty;
    }

    public OperationsOptions Options => _options;

    public Task<Operation?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Operation>> RecentAsync(int count = 50, CancellationToken cancellationToken = default) => _store.ListAsync(count, cancellationToken);

    /// <summary>The plan and the checks as they stand now, without storing anything (the dialog's dry run).</summary>
    public async Task<OperationResult> PreviewAsync(OperationRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        var draft = await DraftAsync(request, actor, [], cancellationToken);
        if (draft.Operation is null)
        {
            return draft;
        }

        return OperationResult.Ok(draft.Operation, await CheckAsync(draft.Operation, cancellationToken));
    }

    /// <summary>
    /// Stores a request if its plan can be made and no rule blocks it (data at risk is left for the approver). An
    /// Admin's <paramref name="overrides"/> are stamped with the Admin's name and the time on the estate's clock.
    /// </summary>
    public async Task<OperationResult> RequestAsync(OperationRequest request, Actor actor, IReadOnlyList<OverrideRequest>? overrides = null, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.RequestOperation))
        {
            return Failure.Forbidden("Only an Operator or an Admin may request an operation.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Failure.Invalid("'reason' is required: say why, in words the approver and the auditors will read.");
        }

        if (overrides is { Count: > 0 } && !actor.May(Permission.OverrideSafetyRule))
        {
            return Failure.Forbidden("Only an Admin may override a safety rule.");
        }

        if (overrides?.FirstOrDefault(o => !SafetyRules.Names.Contains(o.Rule) || string.IsNullOrWhiteSpace(o.Reason)) is { } bad)
        {
            return Failure.Invalid($"Override of '{bad.Rule}' needs a known rule ({string.Join(", ", SafetyRules.Names)}) and a written reason.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var stamped = overrides?.Select(o => new RuleOverride(o.Rule, actor.Name, o.Reason, now)).ToList() ?? [];
            var draft = await DraftAsync(request, actor, stamped, cancellationToken);
            if (draft.Operation is null)
            {
                return draft;
            }

            var checks = await CheckAsync(draft.Operation, cancellationToken);
            if (checks.Any(r => !r.Passed && !r.NeedsAcceptance))
            {
                await AuditAsync(actor, "operation.request", draft.Operation, "refused", SafetyRules.Blocking(checks), cancellationToken);
                return OperationResult.Fail(Failure.Refused("Refused by the safety rules: " + SafetyRules.Blocking(checks)), draft.Operation, checks);
            }

            var stored = await _store.AddAsync(draft.Operation with { Checks = checks }, cancellationToken);
            await AuditAsync(actor, "operation.request", stored, "requested", request.Reason, cancellationToken);
            foreach (var o in stored.Overrides)
            {
                await AuditAsync(actor, "operation.override", stored, $"override {o.Rule}", o.Reason, cancellationToken);
            }

            await PublishAsync(stored, cancellationToken);
            return OperationResult.Ok(stored, checks);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Approves a pending request. The caller has verified the approver's password at this moment. Refused for the
    /// requester under any role, for anyone without the Approver role, after expiry, when the plan changed
    /// materially since it was requested (<paramref name="planHash"/> is the hash the approver saw), and when a
    /// rule blocks.
    /// </summary>
    public async Task<OperationResult> ApproveAsync(string id, Actor approver, string? planHash, bool acceptDataAtRisk, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var op = await _store.GetAsync(id, cancellationToken);
            if (op is null)
            {
                return Failure.NotFound($"No operation has id '{id}'.");
            }

            Failure? refusal = null;
            if (string.Equals(op.RequestedBy, approver.Name, StringComparison.OrdinalIgnoreCase))
            {
                refusal = Failure.Forbidden("The requester cannot approve their own request, whatever their role: a second person must.");
            }
            else if (!approver.May(Permission.ApproveOperation))
            {
                refusal = Failure.Forbidden($"Only a user with the Approver role may approve; {approver.Name} is {approver.Role}.");
            }
            else if (op.State != OperationState.PendingApproval)
            {
                refusal = Failure.Conflict($"{op.Id} is {op.State}, not waiting for approval.");
            }
            else if (_time.GetUtcNow() > op.RequestedAt + _options.ApprovalTimeout)
            {
                op = await SaveAsync(op with { State = OperationState.Expired, Outcome = "Expired before approval.", FinishedAt = _time.GetUtcNow() }, cancellationToken);
                refusal = Failure.Conflict($"{op.Id} expired: it was requested at {op.RequestedAt:u} and approvals are accepted for {_options.ApprovalTimeout}. Request it again.");
            }

            if (refusal is null)
            {
                var replanned = await ReplanAsync(op, cancellationToken);
                if (replanned.Failure is { } unplannable)
                {
                    refusal = Failure.Refused($"The plan can no longer be made: {unplannable.Message}");
                }
                else if (replanned.Plan!.Hash != op.Plan.Hash || (planHash is not null && planHash != op.Plan.Hash))
                {
                    op = await SaveAsync(op with { Plan = replanned.Plan }, cancellationToken);
                    refusal = Failure.Conflict("The plan changed since it was shown (its steps or target weights are different now). Review the new plan and approve again.");
                }
            }

            if (refusal is not null)
            {
                var forbidden = refusal.Kind == FailureKind.Forbidden;
                await AuditAsync(approver, "operation.approve", op, forbidden ? "forbidden" : "refused", refusal.Message, cancellationToken);
                return forbidden ? refusal : OperationResult.Fail(refusal, op);
            }

            var candidate = op with { ApprovedBy = approver.Name, ApprovedAt = _time.GetUtcNow(), DataAtRiskAccepted = acceptDataAtRisk };
            var checks = await CheckAsync(candidate, cancellationToken);
            if (!SafetyRules.AllPass(checks))
            {
                var why = SafetyRules.Blocking(checks);
                await AuditAsync(approver, "operation.approve", op, "refused", why, cancellationToken);
                return OperationResult.Fail(Failure.Refused("Refused by the safety rules: " + why), op, checks);
            }

            var approved = await SaveAsync(candidate with { State = OperationState.Approved, Checks = checks }, cancellationToken);
            await AuditAsync(approver, "operation.approve", approved, "approved", acceptDataAtRisk ? $"data at risk accepted: {approved.Plan.DataAtRiskWrites:0} writes" : null, cancellationToken);
            return OperationResult.Ok(approved, checks);
        }
        catch (OperationConflictException)
        {
            return ChangedMeanwhile(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<OperationResult> RejectAsync(string id, Actor approver, string? reason, CancellationToken cancellationToken = default)
    {
        if (!approver.May(Permission.RejectOperation))
        {
            return Failure.Forbidden("Only an Approver (or an Admin) may reject a request.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Failure.Invalid("'reason' is required: say why the request is rejected.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var op = await _store.GetAsync(id, cancellationToken);
            if (op is null)
            {
                return Failure.NotFound($"No operation has id '{id}'.");
            }

            if (op.State is not (OperationState.PendingApproval or OperationState.Proposed or OperationState.Approved))
            {
                return OperationResult.Fail(Failure.Conflict($"{op.Id} is {op.State}; only a pending, proposed or approved (not yet running) operation can be rejected."), op);
            }

            var rejected = await SaveAsync(op with { State = OperationState.Rejected, DecidedReason = reason, Outcome = $"Rejected by {approver.Name}: {reason}", FinishedAt = _time.GetUtcNow() }, cancellationToken);
            await AuditAsync(approver, "operation.reject", rejected, "rejected", reason, cancellationToken);
            return OperationResult.Ok(rejected, rejected.Checks);
        }
        catch (OperationConflictException)
        {
            return ChangedMeanwhile(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores a proposal from the countermeasure ladder: a full plan waiting for a person to request it.</summary>
    public async Task<Operation?> ProposeAsync(OperationRequest request, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var open = await _store.OpenAsync(cancellationToken);
            if (open.Any(o => o.Request.From == request.From && o.Request.Kind == request.Kind))
            {
                return null;
            }

            var draft = await DraftAsync(request, Actor.System, [], cancellationToken);
            if (draft.Operation is null)
            {
                return null;
            }

            var checks = await CheckAsync(draft.Operation, cancellationToken);
            var stored = await _store.AddAsync(draft.Operation with { State = OperationState.Proposed, Checks = checks }, cancellationToken);
            await AuditAsync(Actor.System, "operation.propose", stored, "proposed", request.Reason, cancellationToken);
            await PublishAsync(stored, cancellationToken);
            return stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A person takes up a proposal as their own request; from here it needs another person's approval.</summary>
    public async Task<OperationResult> AdoptAsync(string id, Actor actor, CancellationToken cancellationToken = default)
    {
        // The console itself may request, but adopting is a person taking a proposal up as their own.
        if (!actor.May(Permission.RequestOperation) || actor.Role == RoleNames.System)
        {
            return Failure.Forbidden("Only an Operator or an Admin may request a proposed operation.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var op = await _store.GetAsync(id, cancellationToken);
            if (op is null)
            {
                return Failure.NotFound($"No operation has id '{id}'.");
            }

            if (op.State != OperationState.Proposed)
            {
                return OperationResult.Fail(Failure.Conflict($"{op.Id} is {op.State}, not a proposal."), op);
            }

            var replanned = await ReplanAsync(op, cancellationToken);
            if (replanned.Plan is null)
            {
                return OperationResult.Fail(Failure.Refused($"The plan can no longer be made: {replanned.Failure?.Message}"), op);
            }

            var adopted = op with { State = OperationState.PendingApproval, RequestedBy = actor.Name, RequestedRole = actor.Role, RequestedAt = _time.GetUtcNow(), Plan = replanned.Plan };
            var checks = await CheckAsync(adopted, cancellationToken);
            adopted = await SaveAsync(adopted with { Checks = checks }, cancellationToken);
            await AuditAsync(actor, "operation.request", adopted, "requested", $"adopted the proposal: {op.Request.Reason}", cancellationToken);
            return OperationResult.Ok(adopted, checks);
        }
        catch (OperationConflictException)
        {
            return ChangedMeanwhile(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts an operation without a second person: only the ladder, only when every rule holds.</summary>
    internal async Task<Operation?> AutoApproveAsync(Operation op, CancellationToken cancellationToken)
    {
        var checks = await CheckAsync(op, cancellationToken);
        if (!SafetyRules.AllPass(checks))
        {
            return null;
        }

        var approved = await SaveAsync(op with { State = OperationState.Approved, ApprovedBy = Actor.System.Name, ApprovedAt = _time.GetUtcNow(), Checks = checks }, cancellationToken);
        await AuditAsync(Actor.System, "operation.auto-approve", approved, "approved", "independent signals agree the region is down and every safety rule holds", cancellationToken);
        return approved;
    }

    internal async Task<ImmutableArray<RuleResult>> CheckAsync(Operation op, CancellationToken cancellationToken)
    {
        var open = await _store.OpenAsync(cancellationToken);
        var others = open.Where(o => o.Id != op.Id).ToList();
        var last = await _store.LastTrafficMoveAsync(cancellationToken);
        return SafetyRules.Evaluate(new SafetyContext(op, _stream.Current, _estate, others, last, _time.GetUtcNow(), _options));
    }

    internal async Task<PlanOutcome> ReplanAsync(Operation op, CancellationToken cancellationToken)
    {
        if (op.Request.Kind is OperationKind.Restore or OperationKind.Cutover)
        {
            // A restore's plan is fixed by its table and point in time (re-planning would move "latest"); a
            // cutover's by its tables.
            return new PlanOutcome(op.Plan, null);
        }

        var records = await _router.ListRecordsAsync(cancellationToken);
        var current = records.ToDictionary(r => r.Region, r => r.Weight);
        if (op.Plan.PreviousWeights.All(kv => current.GetValueOrDefault(kv.Key) == kv.Value))
        {
            // Weights unchanged: the same plan, with today's data at risk.
            var region = _stream.Current?.Region(op.Plan.From);
            return new PlanOutcome(op.Plan with { DataAtRiskWrites = region?.EstimatedUnreplicatedWrites ?? 0, DataAtRiskAge = region?.OldestUnreplicatedAge ?? TimeSpan.Zero }, null);
        }

        return OperationPlanner.Plan(op.Request, _estate, records, _stream.Current, _options, _time.GetUtcNow());
    }

    internal async Task<Operation> SaveAsync(Operation op, CancellationToken cancellationToken)
    {
        var saved = await _store.SaveAsync(op, cancellationToken);
        await PublishAsync(saved, cancellationToken);
        return saved;
    }

    internal Task AuditAsync(Actor actor, string action, Operation op, string outcome, string? reason, CancellationToken cancellationToken) =>
        _audit.AppendAsync(actor.Name, actor.Role, action, $"{op.Id} {op.Request.Kind.ToString().ToLowerInvariant()} {op.Request.From}", outcome, reason, cancellationToken);

    private async Task<OperationResult> DraftAsync(OperationRequest request, Actor actor, IReadOnlyList<RuleOverride> overrides, CancellationToken cancellationToken)
    {
        var records = await _router.ListRecordsAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var planned = OperationPlanner.Plan(request, _estate, records, _stream.Current, _options, now);
        if (planned.Plan is null)
        {
            return planned.Failure!;
        }

        var id = $"op-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var op = new Operation(id, request, actor.Name, actor.Role, now, OperationState.PendingApproval, planned.Plan, [], [.. overrides], []);
        return OperationResult.Ok(op, []);
    }

    private static Failure ChangedMeanwhile(string id) => Failure.Conflict($"{id} was changed by someone else at the same moment; reload it.");

    private async Task PublishAsync(Operation changed, CancellationToken cancellationToken)
    {
        await EnsureBoardAsync(cancellationToken);
        lock (_boardGate)
        {
            _board.Publish((_board.Current ?? OperationBoard.Empty).With(changed));
        }
    }

    /// <summary>Loads the board from the store once (again after a failed load); every change is published after it.</summary>
    private async Task EnsureBoardAsync(CancellationToken cancellationToken)
    {
        if (_board.Current is not null)
        {
            return;
        }

        await _boardLoad.WaitAsync(cancellationToken);
        try
        {
            if (_board.Current is null)
            {
                var recent = await _store.ListAsync(OperationBoard.Size, cancellationToken);
                var open = await _store.OpenAsync(cancellationToken);
                lock (_boardGate)
                {
                    _board.Publish(OperationBoard.From(open.Concat(recent)));
                }
            }
        }
        finally
        {
            _boardLoad.Release();
        }
    }
}
