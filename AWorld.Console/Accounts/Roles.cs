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

    // Who may do what is AWorld.Core.Permissions; each permission is a policy of the same name.
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
