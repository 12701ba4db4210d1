namespace AWorld.Core;

/// <summary>
/// Why a service said no. Every service of the console answers with an <see cref="Outcome{T}"/> whose failure carries
/// one of these kinds; the HTTP layer maps the kind to a status code (never the message text).
/// </summary>
public enum FailureKind
{
    /// <summary>The input is wrong: a missing field, an unknown name, a value out of range. HTTP 400.</summary>
    Invalid,

    /// <summary>The caller's role may not do this. HTTP 403.</summary>
    Forbidden,

    /// <summary>What the request names does not exist. HTTP 404.</summary>
    NotFound,

    /// <summary>The thing is in a state that does not allow it now (already running, changed by someone else). HTTP 409.</summary>
    Conflict,

    /// <summary>Too many attempts; try again later. HTTP 429.</summary>
    Throttled,

    /// <summary>A rule refuses it: a safety rule of the guarded path, a plan that cannot be made now. HTTP 409.</summary>
    Refused,
}

/// <summary>A refusal: its kind, and a message that names what was wrong and how to fix it.</summary>
public sealed record Failure(FailureKind Kind, string Message)
{
    /// <summary>For <see cref="FailureKind.Throttled"/>: how long to wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Failure Invalid(string message) => new(FailureKind.Invalid, message);

    public static Failure Forbidden(string message) => new(FailureKind.Forbidden, message);

    public static Failure NotFound(string message) => new(FailureKind.NotFound, message);

    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);

    public static Failure Throttled(string message, TimeSpan? retryAfter = null) => new(FailureKind.Throttled, message) { RetryAfter = retryAfter };

    public static Failure Refused(string message) => new(FailureKind.Refused, message);
}

/// <summary>What a service answers: a value, or a <see cref="Failure"/>. Expected refusals are values, never exceptions.</summary>
public sealed record Outcome<T>(T? Value, Failure? Failure)
{
    public bool Succeeded => Failure is null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
