using System.Collections.Immutable;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Core.Drills;

/// <summary>The disaster scenarios a drill can rehearse.</summary>
public enum DrillScenario
{
    RegionOutage,
    NetworkPartition,
    LatencyDegradation,
    ErrorSpike,
    ThrottlingStorm,
    BadDeploy,
    CheckerFlapping,
}

/// <summary>Who responds during the drill: the automatic countermeasure ladder alone, or people approving operations.</summary>
public enum ResponsePolicy
{
    Automatic,
    Human,
}

/// <summary>What the drill must achieve to pass: recovery time and data loss at most these (the estate's targets or stricter).</summary>
public sealed record DrillCriteria(TimeSpan MaxRto, TimeSpan MaxRpo);

/// <summary>
/// One moment of the drill's UTC timeline. <see cref="Kind"/> is one of <see cref="DrillEventKinds"/>.
/// </summary>
public sealed record DrillTimelineEvent(DateTimeOffset At, string Kind, string Description, string? Actor = null);

/// <summary>The kinds of timeline events, in the order an incident usually passes through them.</summary>
public static class DrillEventKinds
{
    public const string DrillStart = "drill-start";
    public const string FaultStart = "fault-start";
    public const string Detection = "detection";
    public const string Decision = "decision";
    public const string Approval = "approval";
    public const string Step = "step";
    public const string Recovery = "recovery";
    public const string FaultEnd = "fault-end";
    public const string Restore = "restore";
    public const string DrillEnd = "drill-end";
    public const string Note = "note";
}

/// <summary>A person (or the system) who took part, with their role and what they did.</summary>
public sealed record DrillParticipant(string Name, string Role, string Part);

/// <summary>
/// A measured objective: what was achieved (null when never reached within the drill), the target, whether it
/// was met, and how it was measured, in words an auditor can check.
/// </summary>
public sealed record MeasuredObjective(TimeSpan? Achieved, TimeSpan Target, bool Met, string Method);

/// <summary>The check of a restored table: restored to the asked moment, and its data consistent.</summary>
public sealed record RestoreIntegrityResult(string Table, string Region, DateTimeOffset? RestoredTo, bool Passed, string Detail);

/// <summary>Something to fix after the drill, with who owns it and by when.</summary>
public sealed record CorrectiveAction(string Description, string Owner, DateOnly Due, string Status);

/// <summary>Who signed the report off and when.</summary>
public sealed record DrillSignOff(string By, string Role, DateTimeOffset At);

/// <summary>One series behind a chart of the report: (UTC time, value) points.</summary>
public sealed record DrillMetricSeries(string Key, string Label, string Unit, ImmutableArray<DrillMetricPoint> Points);

public readonly record struct DrillMetricPoint(DateTimeOffset At, double Value);

/// <summary>
/// The after-action report of one drill, the content of <c>report.json</c> and <c>report.pdf</c> in the evidence
/// pack. <see cref="MissingForSignOff"/> lists the required fields still empty; a report cannot be signed off
/// while it lists any.
/// </summary>
public sealed record DrillReport(
    string DrillId,
    string Type,
    DrillScenario Scenario,
    string ScenarioDescription,
    string TargetRegion,
    string Scope,
    DrillCriteria Criteria,
    RecoveryObjectives Targets,
    string PlanVersion,
    ImmutableArray<string> Regions,
    ResponsePolicy Policy,
    ImmutableArray<DrillParticipant> Participants,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    ImmutableArray<DrillTimelineEvent> Timeline,
    TimeSpan? Detection,
    MeasuredObjective Rto,
    MeasuredObjective Rpo,
    bool Passed,
    string Verdict,
    ImmutableArray<RestoreIntegrityResult> RestoreIntegrity,
    ImmutableArray<string> Deviations,
    ImmutableArray<CorrectiveAction> CorrectiveActions,
    DrillSignOff? SignOff,
    string AuditChainHead,
    DateOnly NextDrillDate,
    ImmutableArray<DrillMetricSeries> Metrics)
{
    /// <summary>The names of required fields that are empty; empty when the report can be signed off.</summary>
    public ImmutableArray<string> MissingForSignOff()
    {
        var missing = ImmutableArray.CreateBuilder<string>();
        void Require(bool present, string name)
        {
            if (!present)
            {
                missing.Add(name);
            }
        }

        Require(!string.IsNullOrWhiteSpace(DrillId), nameof(DrillId));
        Require(!string.IsNullOrWhiteSpace(Type), nameof(Type));
        Require(!string.IsNullOrWhiteSpace(ScenarioDescription), nameof(ScenarioDescription));
        Require(!string.IsNullOrWhiteSpace(TargetRegion), nameof(TargetRegion));
        Require(!string.IsNullOrWhiteSpace(Scope), nameof(Scope));
        Require(!string.IsNullOrWhiteSpace(PlanVersion), nameof(PlanVersion));
        Require(!Regions.IsDefaultOrEmpty, nameof(Regions));
        Require(!Participants.IsDefaultOrEmpty, nameof(Participants));
        Require(!Timeline.IsDefaultOrEmpty, nameof(Timeline));
        Require(!string.IsNullOrWhiteSpace(Rto.Method), "Rto.Method");
        Require(!string.IsNullOrWhiteSpace(Rpo.Method), "Rpo.Method");
        Require(!string.IsNullOrWhiteSpace(Verdict), nameof(Verdict));
        Require(!RestoreIntegrity.IsDefault, nameof(RestoreIntegrity));
        Require(!Deviations.IsDefault, nameof(Deviations));
        Require(!CorrectiveActions.IsDefault && CorrectiveActions.All(a => !string.IsNullOrWhiteSpace(a.Owner) && !string.IsNullOrWhiteSpace(a.Description) && !string.IsNullOrWhiteSpace(a.Status)), nameof(CorrectiveActions));
        Require(!string.IsNullOrWhiteSpace(AuditChainHead) && AuditChainHead != AuditEntry.GenesisHash, nameof(AuditChainHead));
        Require(NextDrillDate != default, nameof(NextDrillDate));
        return missing.ToImmutable();
    }

    /// <summary>Signs the report off, or says which required fields are still empty.</summary>
    public (DrillReport? Signed, ImmutableArray<string> Missing) TrySignOff(string by, string role, DateTimeOffset at)
    {
        var missing = MissingForSignOff();
        if (string.IsNullOrWhiteSpace(by))
        {
            missing = missing.Add("SignOff.By");
        }

        return missing.IsEmpty ? (this with { SignOff = new DrillSignOff(by, role, at) }, missing) : (null, missing);
    }
}
