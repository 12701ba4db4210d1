using System.Collections.Frozen;
using System.Collections.Immutable;

namespace AWorld.Core;

/// <summary>
/// What someone may do in the console. Each is held by the roles <see cref="Permissions"/> lists; the console's
/// authorization policies are generated from that table, one per permission, named after it (so
/// <c>nameof(Permission.ReadEvidence)</c> is the policy's name).
/// </summary>
public enum Permission
{
    /// <summary>Request a failover, failback, restore or cutover, or take up a proposal of the ladder.</summary>
    RequestOperation,

    /// <summary>Approve someone else's request (never one's own, whatever the role).</summary>
    ApproveOperation,

    /// <summary>Reject a request that is pending, proposed or approved but not yet running.</summary>
    RejectOperation,

    /// <summary>Break-glass: override a blocking safety rule with a written reason.</summary>
    OverrideSafetyRule,

    /// <summary>Run a drill, live or at full speed, and keep recurring drills.</summary>
    RunDrill,

    /// <summary>Sign a completed drill's report off.</summary>
    SignOffDrill,

    /// <summary>Inject and clear faults in the twin and set its clock speed.</summary>
    ControlSimulation,

    /// <summary>Browse, download and verify evidence packs.</summary>
    ReadEvidence,

    /// <summary>Re-compute the audit chain.</summary>
    VerifyAudit,

    /// <summary>Acknowledge an anomaly event with a note.</summary>
    AcknowledgeAnomaly,
}

/// <summary>
/// The one table of who may do what. Services check it through <see cref="Actor.May"/>; the console's policies are
/// built from <see cref="RolesFor"/>. <see cref="RoleNames.System"/> is the console itself (the countermeasure
/// ladder, the drill scheduler): no account can hold it.
/// </summary>
public static class Permissions
{
    private static readonly FrozenDictionary<Permission, ImmutableArray<string>> Table = new Dictionary<Permission, ImmutableArray<string>>
    {
        [Permission.RequestOperation] = [RoleNames.Operator, RoleNames.Admin, RoleNames.System],
        [Permission.ApproveOperation] = [RoleNames.Approver],
        [Permission.RejectOperation] = [RoleNames.Approver, RoleNames.Admin],
        [Permission.OverrideSafetyRule] = [RoleNames.Admin],
        [Permission.RunDrill] = [RoleNames.Operator, RoleNames.Admin, RoleNames.System],
        [Permission.SignOffDrill] = [RoleNames.Approver, RoleNames.Admin],
        [Permission.ControlSimulation] = [RoleNames.Operator, RoleNames.Admin],
        [Permission.ReadEvidence] = [RoleNames.Auditor, RoleNames.Admin, RoleNames.Approver],
        [Permission.VerifyAudit] = [RoleNames.Auditor, RoleNames.Admin],
        [Permission.AcknowledgeAnomaly] = [RoleNames.Viewer, RoleNames.Operator, RoleNames.Approver, RoleNames.Admin],
    }.ToFrozenDictionary();

    /// <summary>The roles that hold <paramref name="permission"/>, <see cref="RoleNames.System"/> included where it does.</summary>
    public static ImmutableArray<string> RolesFor(Permission permission) => Table.GetValueOrDefault(permission, []);

    /// <summary>Whether <paramref name="role"/> holds <paramref name="permission"/>; an unknown role holds nothing.</summary>
    public static bool Allows(string role, Permission permission) => RolesFor(permission).Contains(role, StringComparer.Ordinal);
}
