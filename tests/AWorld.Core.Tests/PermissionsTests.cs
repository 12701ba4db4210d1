namespace AWorld.Core.Tests;

public sealed class PermissionsTests
{
    /// <summary>Who may do what, as the README's demo accounts say; the table must say exactly this.</summary>
    public static TheoryData<Permission, string[]> Expected => new()
    {
        { Permission.RequestOperation, [RoleNames.Operator, RoleNames.Admin, RoleNames.System] },
        { Permission.ApproveOperation, [RoleNames.Approver] },
        { Permission.RejectOperation, [RoleNames.Approver, RoleNames.Admin] },
        { Permission.OverrideSafetyRule, [RoleNames.Admin] },
        { Permission.RunDrill, [RoleNames.Operator, RoleNames.Admin, RoleNames.System] },
        { Permission.SignOffDrill, [RoleNames.Approver, RoleNames.Admin] },
        { Permission.ControlSimulation, [RoleNames.Operator, RoleNames.Admin] },
        { Permission.ReadEvidence, [RoleNames.Auditor, RoleNames.Admin, RoleNames.Approver] },
        { Permission.VerifyAudit, [RoleNames.Auditor, RoleNames.Admin] },
        { Permission.AcknowledgeAnomaly, [RoleNames.Viewer, RoleNames.Operator, RoleNames.Approver, RoleNames.Admin] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Table_GivesEachPermissionToExactlyTheseRoles(Permission permission, string[] roles)
    {
        foreach (var role in RoleNames.All.Append(RoleNames.System))
        {
            Assert.True(roles.Contains(role) == new Actor("someone", role).May(permission), $"{role} {(roles.Contains(role) ? "should" : "should not")} hold {permission}.");
        }
    }

    [Fact]
    public void EveryPermission_IsInTheTable_AndHeldBySomeAccountRole()
    {
        var expected = Expected.Select(row => (Permission)row[0]).ToHashSet();

        Assert.All(Enum.GetValues<Permission>(), p =>
        {
            Assert.Contains(p, expected);
            Assert.Contains(Permissions.RolesFor(p), RoleNames.All.Contains);
        });
    }

    [Fact]
    public void TheConsoleItself_MayOnlyRequestOperationsAndRunDrills()
    {
        var held = Enum.GetValues<Permission>().Where(Actor.System.May);

        Assert.Equal([Permission.RequestOperation, Permission.RunDrill], held);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Superuser")]
    [InlineData("admin")]
    public void AnUnknownRole_HoldsNothing(string role) =>
        Assert.DoesNotContain(Enum.GetValues<Permission>(), new Actor("x", role).May);
}
