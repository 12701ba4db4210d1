using System.Collections.Immutable;

namespace AWorld.Core.Operations;

public enum OperationKind
{
    /// <summary>Move traffic away from <see cref="OperationRequest.From"/>.</summary>
    Failover,

    /// <summary>Return traffic to <see cref="OperationRequest.From"/> (its configured weight).</summary>
    Failback,

    /// <summary>Restore a table replica in <see cref="OperationRequest.From"/> to a point in time, into a new table.</summary>
    Restore,

    /// <summary>Switch the application in <see cref="OperationRequest.From"/> to a restored table; approved on its own.</summary>
    Cutover,
}

public enum OperationState
{
    /// <summary>Proposed by the countermeasure ladder; a person must request it to go on.</summary>
    Proposed,
    PendingApproval,
    Approved,
    Executing,
    Completed,
    RolledBack,
    Failed,
    Rejected,
    Expired,
}

/// <summary>What someone asks for. <see cref="From"/> is the region the operation is about.</summary>
public sealed record OperationRequest(OperationKind Kind, string From, string Reason, string? To = null, string? Table = null, DateTimeOffset? PointInTime = null, string? RestoredTable = null);

public enum StepAction
{
    /// <summary>Route 53 ChangeResourceRecordSets with new weights.</summary>
    ChangeWeights,

    /// <summary>Route 53 GetChange until INSYNC.</summary>
    AwaitDnsInSync,

    /// <summary>Observed traffic (CloudWatch request counts) until the source serves nothing.</summary>
    VerifyTrafficMoved,

    /// <summary>DynamoDB RestoreTableToPointInTime into a new table.</summary>
    StartRestore,

    /// <summary>DynamoDB DescribeTable until the restored table is ACTIVE with the asked point in time.</summary>
    VerifyRestore,

    /// <summary>Point the application at the restored table (its configuration).</summary>
    SwitchTable,

    /// <summary>Read the configuration back until it names the restored table.</summary>
    VerifyCutover,
}

/// <summary>One step of a plan and the exact call it makes.</summary>
public sealed record PlanStep(int Index, StepAction Action, string Title, string Call);

/// <summary>Where the predicted RTO comes from, for the current configuration.</summary>
public sealed record RtoPrediction(TimeSpan Detection, TimeSpan DnsPropagation, TimeSpan Ttl, TimeSpan ResolverLag)
{
    public TimeSpan Total => Detection + DnsPropagation + Ttl + ResolverLag;
}

/// <summary>
/// The dry run shown before anything happens. <see cref="Hash"/> covers what an approver approves — the kind,
/// the regions, the target weights and every step's call — and not the live numbers that change each second.
/// </summary>
public sealed record OperationPlan(
    OperationKind Kind,
    string From,
    string? To,
    ImmutableArray<PlanStep> Steps,
    ImmutableDictionary<string, int> TargetWeights,
    ImmutableDictionary<string, int> PreviousWeights,
    RtoPrediction Rto,
    double DataAtRiskWrites,
    TimeSpan DataAtRiskAge,
    string? RestoreTable,
    string? RestoreTarget,
    DateTimeOffset? PointInTime,
    string Hash);

/// <summary>The verdict of one safety rule: a name, and a plain-language reason when it blocks.</summary>
public sealed record RuleResult(string Rule, bool Passed, string Reason, bool Overridden = false, bool NeedsAcceptance = false);

/// <summary>An Admin's break-glass override of a named rule, with the written reason. Flagged everywhere.</summary>
/// <remarks>Made by <see cref="OperationService.RequestAsync"/> from an <see cref="OverrideRequest"/>: who and when are the service's (its estate clock), never the caller's.</remarks>
public sealed record RuleOverride(string Rule, string By, string Reason, DateTimeOffset At);

/// <summary>What an Admin asks for when overriding a rule: the rule's name and why it is safe.</summary>
public sealed record OverrideRequest(string Rule, string Reason);

public enum StepStatus
{
    Started,
    Waiting,
    Succeeded,
    Failed,
    Compensated,
}

/// <summary>
/// A journal line: each step's intent is written before acting and its outcome after. <see cref="Detail"/> is for
/// people; the executor reads only the structured fields, which are null on lines that do not need them (and on lines
/// stored before they existed).
/// </summary>
/// <param name="Index">The plan step the line is about.</param>
/// <param name="Status">Started (the intent), or the step's outcome.</param>
/// <param name="At">When, on the estate's clock.</param>
/// <param name="Detail">What happened, for people; never parsed.</param>
/// <param name="FencingToken">The lease token of the executor that wrote the line.</param>
/// <param name="ChangeId">The Route 53 change a <see cref="StepAction.ChangeWeights"/> step submitted (on its outcome); null when the weights were already in place.</param>
/// <param name="PreviousWeights">The weights in place before a <see cref="StepAction.ChangeWeights"/> step acted (on its intent and outcome): what a roll-back restores.</param>
/// <param name="PreviousTable">The table the application used before a <see cref="StepAction.SwitchTable"/> step acted (on its intent and outcome): what a roll-back switches back to.</param>
public sealed record StepRecord(
    int Index,
    StepStatus Status,
    DateTimeOffset At,
    string Detail,
    long FencingToken,
    string? ChangeId = null,
    ImmutableDictionary<string, int>? PreviousWeights = null,
    string? PreviousTable = null);

/// <summary>
/// An operation and its whole history; the unit the store saves. <see cref="Version"/> guards every write, so
/// two writers (two approvers, two executors) cannot both move it on.
/// </summary>
public sealed record Operation(
    string Id,
    OperationRequest Request,
    string RequestedBy,
    string RequestedRole,
    DateTimeOffset RequestedAt,
    OperationState State,
    OperationPlan Plan,
    ImmutableArray<RuleResult> Checks,
    ImmutableArray<RuleOverride> Overrides,
    ImmutableArray<StepRecord> Journal,
    string? ApprovedBy = null,
    DateTimeOffset? ApprovedAt = null,
    bool DataAtRiskAccepted = false,
    string? DecidedReason = null,
    DateTimeOffset? FinishedAt = null,
    string? Outcome = null,
    long Version = 0)
{
    public bool IsOpen => State is OperationState.Proposed or OperationState.PendingApproval or OperationState.Approved or OperationState.Executing;

    public bool MovesTraffic => Request.Kind is OperationKind.Failover or OperationKind.Failback;

    /// <summary>The step to run next: the first without a succeeded outcome.</summary>
    public int NextStep => Plan.Steps.FirstOrDefault(s => !Journal.Any(j => j.Index == s.Index && j.Status == StepStatus.Succeeded))?.Index ?? Plan.Steps.Length;
}
