using System.Security.Claims;
using AWorld.Console.Accounts;
using AWorld.Core.Operations;

namespace AWorld.Console.Api;

public sealed record OperationBody(string? Kind, string? From, string? To, string? Reason, string? Table, DateTimeOffset? PointInTime, IReadOnlyList<OverrideBody>? Overrides, string? RestoredTable = null);

public sealed record OverrideBody(string? Rule, string? Reason);

public sealed record ApproveBody(string? Password, bool AcceptDataAtRisk = false, string? PlanHash = null);

public sealed record RejectBody(string? Reason);

/// <summary>The API of the guarded path. Every decision (who may request, approve, reject) is the engine's, on the server.</summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/operations");
        ops.MapGet("/", async (OperationService service, CancellationToken ct) => Results.Ok(await service.RecentAsync(50, ct)));
        ops.MapGet("/{id}", async (string id, OperationService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } op ? Results.Ok(op) : Error(StatusCodes.Status404NotFound, $"No operation has id '{id}'."));
        ops.MapPost("/", RequestAsync);
        ops.MapPost("/{id}/approve", ApproveAsync);
        ops.MapPost("/{id}/adopt", async (string id, ClaimsPrincipal user, OperationService service, CancellationToken ct) =>
            ToResult(await service.AdoptAsync(id, ActorOf(user), ct)));
        ops.MapPost("/{id}/reject", async (string id, RejectBody? body, ClaimsPrincipal user, OperationService service, CancellationToken ct) =>
            ToResult(await service.RejectAsync(id, ActorOf(user), body?.Reason, ct)));
        return app;
    }

    public static AWorld.Core.Actor ActorOf(ClaimsPrincipal user) => new(user.Identity?.Name ?? "", Roles.Of(user));

    private static async Task<IResult> RequestAsync(OperationBody? body, ClaimsPrincipal user, OperationService service, TimeProvider time, CancellationToken ct)
    {
        if (body is null || !Enum.TryParse<OperationKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return Error(StatusCodes.Status400BadRequest, $"'kind' is '{body?.Kind}'; use failover, failback, restore or cutover, e.g. {{\"kind\":\"failover\",\"from\":\"eu-west-1\",\"reason\":\"…\"}}.");
        }

        if (string.IsNullOrWhiteSpace(body.From))
        {
            return Error(StatusCodes.Status400BadRequest, "'from' is required: the region the operation is about, e.g. \"eu-west-1\".");
        }

        var actor = ActorOf(user);
        var overrides = body.Overrides?.Select(o => new RuleOverride(o.Rule ?? "", actor.Name, o.Reason ?? "", time.GetUtcNow())).ToList();
        var result = await service.RequestAsync(new OperationRequest(kind, body.From, body.Reason ?? "", body.To, body.Table, body.PointInTime, body.RestoredTable), actor, overrides, ct);
        if (result.Succeeded)
        {
            return Results.Created($"/api/operations/{result.Operation!.Id}", result.Operation);
        }

        // A request refused by its plan or by a rule is bad input for this moment: 400, with the checks.
        return result.Forbidden ? ToResult(result) : Results.Json(new { error = result.Error, checks = result.Checks }, statusCode: StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ApproveAsync(string id, ApproveBody? body, ClaimsPrincipal user, HttpContext http, SignInService signIn, OperationService service, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body?.Password))
        {
            return Error(StatusCodes.Status400BadRequest, "Approving needs your password, entered now: {\"password\":\"…\"}.");
        }

        var result = await ApproveWithPasswordAsync(signIn, service, user, id, body.Password, body.AcceptDataAtRisk, body.PlanHash, http.Connection.RemoteIpAddress?.ToString(), ct);
        return result.Error?.StartsWith("Too many failed sign-ins", StringComparison.Ordinal) == true
            ? Error(StatusCodes.Status429TooManyRequests, result.Error)
            : ToResult(result);
    }

    /// <summary>
    /// The one way to approve, for the page and the API: the approver's password is checked at this moment (and
    /// counted by the sign-in throttle) before the engine decides.
    /// </summary>
    public static async Task<OperationResult> ApproveWithPasswordAsync(
        SignInService signIn, OperationService service, ClaimsPrincipal user, string id, string password, bool acceptDataAtRisk, string? planHash, string? address, CancellationToken ct)
    {
        var actor = ActorOf(user);
        var check = await signIn.CheckAsync(actor.Name, password, address, ct);
        return check.Outcome switch
        {
            SignInOutcome.Succeeded => await service.ApproveAsync(id, actor, planHash, acceptDataAtRisk, ct),
            SignInOutcome.Throttled => OperationResult.Deny(check.Message),
            _ => OperationResult.Deny("The password did not match: the approval was not recorded."),
        };
    }

    private static IResult ToResult(OperationResult result)
    {
        if (result.Succeeded)
        {
            return Results.Ok(result.Operation);
        }

        if (result.Forbidden)
        {
            return Error(StatusCodes.Status403Forbidden, result.Error!);
        }

        if (result.Error!.StartsWith("No operation has id", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status404NotFound, result.Error);
        }

        return Results.Json(new { error = result.Error, checks = result.Checks }, statusCode: result.Operation is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict);
    }

    private static IResult Error(int status, string message) => ApiError.Respond(status, message);
}
