using System.Security.Claims;
using System.Text.Json.Serialization;
using AWorld.Console.Accounts;
using AWorld.Console.Live;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Telemetry;

namespace AWorld.Console.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType = "Bearer");

/// <summary>Every error of the API answers with this body: a message saying what to fix.</summary>
public sealed record ApiError(string Error)
{
    /// <summary>An error that is no service's <see cref="Failure"/> (wrong credentials, not ready yet); failures go through <see cref="ApiResults"/>.</summary>
    public static IResult Respond(int status, string message) => Results.Json(new ApiError(message), statusCode: status);
}

public sealed record FaultResponse(string Id, string Kind, string Region, string? PeerRegion, double Magnitude, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? InjectedBy)
{
    public static FaultResponse From(ActiveFault f) =>
        new(f.Id, f.Spec.Kind.ToString().ToLowerInvariant(), f.Spec.Region, f.Spec.PeerRegion, f.Spec.EffectiveMagnitude, f.StartsAt, f.EndsAt, f.InjectedBy);
}

public sealed record ClockRequest(double? Speed);

public sealed record ClockResponse(double Speed);

/// <summary>The REST API: bearer tokens, the estate snapshot, simulation control, liveness and readiness.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapAWorldApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/readyz", (EstateStateStream stream) => stream.Current is null
            ? ApiError.Respond(StatusCodes.Status503ServiceUnavailable, "Not ready: the first estate snapshot has not been taken yet.")
            : Results.Text("ready")).AllowAnonymous();

        var api = app.MapGroup("/api");
        api.MapPost("/auth/token", IssueToken).AllowAnonymous();
        api.MapGet("/estate", (EstateStateStream stream) => stream.Current is { } snapshot
            ? Results.Ok(snapshot)
            : ApiError.Respond(StatusCodes.Status503ServiceUnavailable, "No estate snapshot yet; retry in a second."));

        var simulation = api.MapGroup("/simulation").RequireAuthorization(nameof(Permission.ControlSimulation));
        simulation.MapGet("/faults", async (SimulationControl control, CancellationToken ct) =>
            Results.Ok((await control.ActiveAsync(ct)).Select(FaultResponse.From)));
        simulation.MapPost("/faults", InjectFault);
        simulation.MapDelete("/faults/{id}", async (string id, ClaimsPrincipal user, SimulationControl control, CancellationToken ct) =>
            ApiResults.From(await control.ClearAsync(Actors.Of(user), id, ct), _ => Results.NoContent()));
        simulation.MapPut("/clock", async (ClockRequest? body, ClaimsPrincipal user, SimulationControl control, CancellationToken ct) =>
            body is null
                ? BadRequest("The body must be JSON like {\"speed\":20}.")
                : ApiResults.From(await control.SetSpeedAsync(Actors.Of(user), body.Speed, ct), speed => Results.Ok(new ClockResponse(speed))));
        // 200 whether or not the chain verifies: the body says which entry fails first.
        api.MapGet("/audit/verify", async (AuditLog audit, CancellationToken ct) => Results.Ok(await audit.VerifyAsync(ct)))
            .RequireAuthorization(nameof(Permission.VerifyAudit));
        return app;
    }

    private static async Task<IResult> IssueToken(TokenRequest? body, HttpContext http, SignInService signIn, TokenService tokens, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Username) || string.IsNullOrEmpty(body.Password))
        {
            return BadRequest("The body must be JSON with \"username\" and \"password\", e.g. {\"username\":\"noc\",\"password\":\"…\"}.");
        }

        var result = await signIn.CheckAsync(body.Username, body.Password, http.Connection.RemoteIpAddress?.ToString(), ct);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled:
                return ApiResults.Failed(Failure.Throttled(result.Message, result.RetryAfter));
            case SignInOutcome.WrongCredentials:
                return ApiError.Respond(StatusCodes.Status401Unauthorized, result.Message);
            default:
                var (token, lifetime) = tokens.Issue(result.User!);
                return Results.Ok(new TokenResponse(token, (int)lifetime.TotalSeconds));
        }
    }

    private static async Task<IResult> InjectFault(FaultRequest? body, ClaimsPrincipal user, SimulationControl control, CancellationToken ct)
    {
        if (body is null)
        {
            return BadRequest("The body must be JSON like {\"kind\":\"outage\",\"region\":\"eu-west-1\",\"durationSeconds\":600}.");
        }

        return ApiResults.From(await control.InjectAsync(Actors.Of(user), body, ct), fault => Results.Created($"/api/simulation/faults/{fault.Id}", FaultResponse.From(fault)));
    }

    private static IResult BadRequest(string message) => ApiResults.Failed(Failure.Invalid(message));
}
