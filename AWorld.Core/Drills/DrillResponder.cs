using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Drills;

/// <summary>What a responder sees each virtual second of a drill.</summary>
public sealed record DrillResponseContext(
    DrillPlan Plan,
    EstateTopology Estate,
    OperationService Operations,
    EstateSnapshot Snapshot,
    DateTimeOffset Now,
    ActiveFault? Fault,
    DateTimeOffset? DetectedAt);

/// <summary>
/// The people of a Human-policy drill. Headless drills use <see cref="ScriptedResponder"/>; in the console real people
/// act through the Operations page and no responder is needed.
/// </summary>
public interface IDrillResponder
{
    /// <summary>Called once per virtual second, after the ladder and before the executor.</summary>
    Task ActAsync(DrillResponseContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Two scripted people going through the console's real approval path: an operator who takes up the ladder's
/// proposals (and, for a bad deploy, requests the PITR restore to just before the deploy and then the cutover), and
/// a different approver who approves pending requests, each after <see cref="ThinkTime"/> (default 2 min). The
/// approver accepts data at risk. Refused approvals are retried at most <see cref="MaxAttempts"/> times, 30 s apart.
/// Not thread-safe: one drill loop calls it.
/// </summary>
public sealed class ScriptedResponder(Actor operatorActor, Actor approver, TimeSpan thinkTime) : IDrillResponder
{
    public const int MaxAttempts = 5;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (int Count, DateTimeOffset Last)> _attempts = new(StringComparer.Ordinal);
    private string? _restoreId;
    private string? _cutoverId;
    private DateTimeOffset? _nextPlaybookTry;

    public static Actor DefaultOperator { get; } = new("drill-operator", RoleNames.Operator);

    public static Actor DefaultApprover { get; } = new("drill-approver", RoleNames.Approver);

    public Actor Operator { get; } = operatorActor;

    public Actor Approver { get; } = approver;

    public TimeSpan ThinkTime { get; } = thinkTime;

    public async Task ActAsync(DrillResponseContext context, CancellationToken cancellationToken)
    {
        var now = context.Now;
        var operations = await context.Operations.RecentAsync(50, cancellationToken);
        foreach (var op in operations.Where(o => o.State == OperationState.Proposed && now - o.RequestedAt >= ThinkTime))
        {
            if (Attempt(op.Id, now))
            {
                await context.Operations.AdoptAsync(op.Id, Operator, cancellationToken);
            }
        }

        foreach (var op in operations.Where(o => o.State == OperationState.PendingApproval && o.RequestedBy != Approver.Name && now - o.RequestedAt >= ThinkTime))
        {
            if (Attempt("approve " + op.Id, now))
            {
                await context.Operations.ApproveAsync(op.Id, Approver, op.Plan.Hash, acceptDataAtRisk: true, cancellationToken);
            }
        }

        if (context.Plan.Scenario == DrillScenario.BadDeploy)
        {
            await RestorePlaybookAsync(context, operations, cancellationToken);
        }
    }

    /// <summary>Bad deploy: restore the table to the second before the deploy (from the deploy record), then cut over.</summary>
    private async Task RestorePlaybookAsync(DrillResponseContext context, IReadOnlyList<Operation> operations, CancellationToken cancellationToken)
    {
        var now = context.Now;
        if (context.Fault is not { } deploy || context.DetectedAt is not { } detected || now - detected < ThinkTime || (_nextPlaybookTry is { } next && now < next))
        {
            return;
        }

        var target = context.Plan.TargetRegion;
        var table = context.Estate.Tables.FirstOrDefault(t => t.Replicas.Contains(target));
        if (table is null)
        {
            return;
        }

        if (_restoreId is null)
        {
            var pointInTime = deploy.StartsAt - TimeSpan.FromSeconds(1);
            var window = context.Snapshot.Pitr.FirstOrDefault(p => p.Table == table.Name && p.Region == target);
            if (window?.LatestRestorable is not { } latest || latest < pointInTime)
            {
                return; // PITR's latest restorable time trails the present by minutes: wait until it covers the moment.
            }

            var request = new OperationRequest(OperationKind.Restore, target, $"Drill: bad deploy at {Formats.UtcTime(deploy.StartsAt)} wrote corrupt items; restore {table.Name} to the second before it.", Table: table.Name, PointInTime: pointInTime);
            var result = await context.Operations.RequestAsync(request, Operator, null, cancellationToken);
            _restoreId = result.Operation is { } op && result.Succeeded ? op.Id : null;
            _nextPlaybookTry = _restoreId is null ? now + RetryAfter : null;
            return;
        }

        var restore = operations.FirstOrDefault(o => o.Id == _restoreId);
        if (_cutoverId is null && restore is { State: OperationState.Completed, Plan.RestoreTarget: { } restored })
        {
            var request = new OperationRequest(OperationKind.Cutover, target, $"Drill: switch {target} to the clean restored table {restored}.", Table: table.Name, RestoredTable: restored);
            var result = await context.Operations.RequestAsync(request, Operator, null, cancellationToken);
            _cutoverId = result.Operation is { } op && result.Succeeded ? op.Id : null;
            _nextPlaybookTry = _cutoverId is null ? now + RetryAfter : null;
        }
    }

    private bool Attempt(string key, DateTimeOffset now)
    {
        var (count, last) = _attempts.GetValueOrDefault(key);
        if (count >= MaxAttempts || (count > 0 && now - last < RetryAfter))
        {
            return false;
        }

        _attempts[key] = (count + 1, now);
        return true;
    }
}
