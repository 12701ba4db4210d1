using System.Security.Claims;
using AWorld.Console.Storage;
using AWorld.Core.Evidence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Accounts;

public enum SignInOutcome
{
    Succeeded,
    WrongCredentials,
    Throttled,
}

public sealed record SignInResult(SignInOutcome Outcome, UserAccount? User, TimeSpan? RetryAfter)
{
    public string Message => Outcome switch
    {
        SignInOutcome.WrongCredentials => "Wrong user name or password.",
        SignInOutcome.Throttled => $"Too many failed sign-ins. Try again in {Math.Ceiling(RetryAfter!.Value.TotalMinutes)} min.",
        _ => "Signed in.",
    };
}

/// <summary>
/// Checks credentials for every way in (the sign-in page, the token endpoint, approvals that re-enter a password),
/// applies the failed-sign-in throttle and records each attempt.
/// </summary>
public sealed class SignInService(
    IDbContextFactory<ConsoleDbContext> contexts,
    IPasswordHasher<UserAccount> hasher,
    SignInThrottle throttle,
    AuditLog audit)
{
    public async Task<SignInResult> CheckAsync(string userName, string password, string? address, CancellationToken cancellationToken = default)
    {
        userName = userName.Trim();
        if (throttle.RetryAfter(userName, address) is { } wait)
        {
            await audit.AppendAsync(userName, "", "sign-in", "console", "throttled", address, cancellationToken);
            return new SignInResult(SignInOutcome.Throttled, null, wait);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        var verified = user is not null && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (!verified)
        {
            throttle.Failed(userName, address);
            await audit.AppendAsync(userName, user?.Role ?? "", "sign-in", "console", "failed", address, cancellationToken);
            return new SignInResult(SignInOutcome.WrongCredentials, null, null);
        }

        throttle.Succeeded(userName);
        await audit.AppendAsync(user!.UserName, user.Role, "sign-in", "console", "succeeded", address, cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded, user, null);
    }

    public static ClaimsPrincipal Principal(UserAccount user, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.UserName), new Claim(ClaimTypes.Role, user.Role), new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role));
}
