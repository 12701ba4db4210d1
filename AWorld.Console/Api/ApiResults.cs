using System.Collections.Immutable;
using System.Globalization;
using AWorld.Core;
using AWorld.Core.Operations;

namespace AWorld.Console.Api;

/// <summary>The body of a refused operation: the message and the safety checks as they stood.</summary>
public sealed record OperationError(string Error, ImmutableArray<RuleResult> Checks);

/// <summary>
/// The one place a service's <see cref="Failure"/> becomes an HTTP response: its kind chooses the status (never its
/// message), the body is <c>{"error": …}</c> (with <c>"checks"</c> for an operation), and a throttled answer says when
/// to try again in <c>Retry-After</c>.
/// </summary>
public static class ApiResults
{
    public static int StatusCodeOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Throttled => StatusCodes.Status429TooManyRequests,
        FailureKind.Refused => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Failed(Failure failure) => new FailureResult(failure, new ApiError(failure.Message));

    /// <summary>A refused operation: <c>{"error", "checks"}</c>, the checks empty when none were made.</summary>
    public static IResult Failed(OperationResult result)
    {
        var failure = result.Failure ?? throw new ArgumentException("The operation succeeded; there is no failure to answer.", nameof(result));
        return new FailureResult(failure, new OperationError(failure.Message, result.Checks));
    }

    /// <summary>The value through <paramref name="ok"/>, or the failure.</summary>
    public static IResult From<T>(Outcome<T> outcome, Func<T, IResult> ok) => outcome.Failure is { } failure ? Failed(failure) : ok(outcome.Value!);

    /// <summary>The operation with 200, or the failure.</summary>
    public static IResult From(OperationResult result) => result.Succeeded ? Results.Ok(result.Operation) : Failed(result);

    private sealed class FailureResult(Failure failure, object body) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodeOf(failure.Kind);

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (failure.RetryAfter is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return Results.Json(body, statusCode: StatusCode).ExecuteAsync(httpContext);
        }
    }
}
