using AWorld.Console.Accounts;
using AWorld.Console.Tests.Shared;
using AWorld.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Accounts;

/// <summary>The console's policies are the permissions table: one per permission, granting exactly the roles it lists.</summary>
public sealed class PermissionPolicyTests : IDisposable
{
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task EveryPermission_HasAPolicyOfItsName()
    {
        var policies = _factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        foreach (var permission in Enum.GetValues<Permission>())
        {
            Assert.NotNull(await policies.GetPolicyAsync(permission.ToString()));
        }
    }

    [Fact]
    public async Task EachRole_IsGrantedExactlyWhatTheTableGivesIt()
    {
        var authorization = _factory.Services.GetRequiredService<IAuthorizationService>();

        foreach (var role in Roles.All)
        {
            var user = SignInService.Principal(new UserAccount { UserName = "someone", Role = role }, "test");
            foreach (var permission in Enum.GetValues<Permission>())
            {
                var granted = (await authorization.AuthorizeAsync(user, permission.ToString())).Succeeded;
                Assert.True(granted == Permissions.Allows(role, permission), $"{role} is {(granted ? "" : "not ")}granted {permission}, the table says otherwise.");
                Assert.Equal(granted, Actors.Of(user).May(permission));
            }
        }
    }

    [Fact]
    public async Task AUserClaimingTheSystemRole_IsGrantedNothing()
    {
        var authorization = _factory.Services.GetRequiredService<IAuthorizationService>();
        var pretender = SignInService.Principal(new UserAccount { UserName = "mallory", Role = RoleNames.System }, "test");

        foreach (var permission in Enum.GetValues<Permission>())
        {
            Assert.False((await authorization.AuthorizeAsync(pretender, permission.ToString())).Succeeded, permission.ToString());
            Assert.False(Actors.Of(pretender).May(permission), permission.ToString());
        }
    }
}
