using AWorld.Console.Accounts;
using AWorld.Core;
using AWorld.Core.Operations;

namespace AWorld.Console.Operations;

/// <summary>
/// The one way to approve, for the Operations page and the API alike: the approver's password is checked at this
/// moment (and counted by the sign-in throttle) before the engine decides. Too many failed sign-ins is
/// <see cref="FailureKind.Throttled"/> (with how long to wait), a wrong password <see cref="FailureKind.Forbidden"/>.
/// </summary>
public sealed class Approvals(SignInService signIn, OperationService operations)
{
    public async Task<OperationResult> ApproveAsync(
        string id, Actor approver, string? password, bool acceptDataAtRisk, string? planHash, string? address, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Failure.Invalid("Approving needs your password, entered now (in the API: {\"password\":\"…\"}).");
        }

        var check = await signIn.CheckAsync(approver.Name, password, address, cancellationToken);
        return check.Outcome switch
        {
            SignInOutcome.Succeeded => await operations.ApproveAsync(id, approver, planHash, acceptDataAtRisk, cancellationToken),
            SignInOutcome.Throttled => Failure.Throttled(check.Message, check.RetryAfter),
            _ => Failure.Forbidden("The password did not match: the approval was not recorded."),
        };
    }
}
