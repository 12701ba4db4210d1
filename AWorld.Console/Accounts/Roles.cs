namespace AWorld.Console.Accounts;

/// <summary>The console's roles. A user has exactly one.</summary>
public static class Roles
{
    public const string Viewer = AWorld.Core.RoleNames.Viewer;
    public const string Operator = AWorld.Core.RoleNames.Operator;
    public const string Approver = AWorld.Core.RoleNames.Approver;
    public const string Auditor = AWorld.Core.RoleNames.Auditor;
    public const string Admin = AWorld.Core.RoleNames.Admin;

    public static IReadOnlyList<string> All => AWorld.Core.RoleNames.All;

    /// <summary>The role a signed-in user holds, or "" when none.</summary>
    public static string Of(System.Security.Claims.ClaimsPrincipal user) => All.FirstOrDefault(user.IsInRole) ?? "";

    /// <summary>Who may inject faults and change the clock of the twin.</summary>
    public const string SimulationControlPolicy = "SimulationControl";

    public static readonly string[] SimulationControllers = [Operator, Admin];

    /// <summary>Who may verify the audit chain: Auditors and Admins.</summary>
    public const string AuditPolicy = "Audit";

    /// <summary>Who may browse, download and verify evidence packs: Auditors, Admins, and Approvers (who sign reports off).</summary>
    public const string EvidencePolicy = "Evidence";

    public static readonly string[] EvidenceReaders = [Auditor, Admin, Approver];
}

/// <summary>A local account; the password is stored only as an ASP.NET Core Identity hash (PBKDF2).</summary>
public sealed class UserAccount
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    public string PasswordHash { get; set; } = "";

    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
