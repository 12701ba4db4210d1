using System.Security.Claims;
using AWorld.Core;

namespace AWorld.Console.Accounts;

/// <summary>The one place a signed-in user (cookie or bearer token) becomes the <see cref="Actor"/> the services check.</summary>
public static class Actors
{
    /// <summary>The user's name and role; someone not signed in is an actor with no name and no role, who may do nothing.</summary>
    public static Actor Of(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? new Actor(user.Identity.Name ?? "", Roles.Of(user)) : new Actor("", "");
}
