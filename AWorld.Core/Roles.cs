namespace AWorld.Core;

/// <summary>The roles people hold in the console. A user has exactly one.</summary>
public static class RoleNames
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Approver = "Approver";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    /// <summary>The console itself (the countermeasure ladder, the drill scheduler). Not an account role: not in <see cref="All"/>.</summary>
    public const string System = "System";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Approver, Auditor, Admin];
}

/// <summary>Who acts: a person with their role, or the console itself (the countermeasure ladder).</summary>
public sealed record Actor(string Name, string Role)
{
    public static readonly Actor System = new("aworld-countermeasures", RoleNames.System);

    /// <summary>Whether this actor's role holds <paramref name="permission"/> (see <see cref="Permissions"/>).</summary>
    public bool May(Permission permission) => Permissions.Allows(Role, permission);
}
