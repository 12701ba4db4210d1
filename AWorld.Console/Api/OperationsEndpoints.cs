using System.Security.Claims;
using AWorld.Console.Accounts;
using AWorld.Console.Operations;
using AWorld.Core;
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
            await service.GetAsync(id, ct) is { } op ? Results.Ok(op) : ApiResults.Failed(Failure.NotFound($"No operation has id '{id}'.")));
        ops.MapPost("/", RequestAsync);
        ops.MapPost("/{id}/approve", async (string id, ApproveBody? body, ClaimsPrincipal user, HttpContext http, Approvals approvals, CancellationToken ct) =>
            ApiResults.From(await approvals.ApproveAsync(id, Actors.Of(user), body?.Password, body?.AcceptDataAtRisk ?? false, body?.PlanHash, http.Connection.RemoteIpAddress?.ToString(), ct)));
        ops.MapPost("/{id}/adopt", async (string id, ClaimsPrincipal user, OperationService service, CancellationToken ct) =>
            ApiResults.From(await service.AdoptAsync(id, Actors.Of(user), ct)));
        ops.MapPost("/{id}/reject", async (string id, RejectBody? body, ClaimsPrincipal user, OperationService service, CancellationToken ct) =>
            ApiResults.From(await service.RejectAsync(id, Actors.Of(user), body?.Reason, ct)));
        return app;
    }


    private static async Task<IResult> RequestAsync(OperationBody? body, ClaimsPrincipal user, OperationService service, CancellationToken ct)
    {
        if (body is null || !Enum.TryParse<OperationKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return ApiResults.Failed(Failure.Invalid($"'kind' is '{body?.Kind}'; use failover, failback, restore or cutover, e.g. {{\"kind\":\"failover\",\"from\":\"eu-west-1\",\"reason\":\"…\"}}."));
        }

        if (string.IsNullOrWhiteSpace(body.From))
        {
            return ApiResults.Failed(Failure.Invalid("'from' is required: the region the operation is about, e.g. \"eu-west-1\"."));
        }

        // Who overrides and when is the service's to stamp (on the estate's clock); the body says only which rule and why.
        var overrides = body.Overrides?.Select(o => new OverrideRequest(o.Rule ?? "", o.Reason ?? "")).ToList();
        var request = new OperationRequest(kind, body.From, body.Reason ?? "", body.To, body.Table, body.PointInTime, body.RestoredTable);
        var result = await service.RequestAsync(request, Actors.Of(user), overrides, ct);
        return result.Succeeded ? Results.Created($"/api/operations/{result.Operation!.Id}", result.Operation) : ApiResults.Failed(result);
    }
}
