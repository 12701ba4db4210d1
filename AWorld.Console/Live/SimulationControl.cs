using System.Security.Claims;
using AWorld.Console.Accounts;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Engine;

namespace AWorld.Console.Live;

/// <summary>What an operator asks for when injecting a fault (the API's body and the Simulation page's form).</summary>
public sealed record FaultRequest(string? Kind, string? Region, string? PeerRegion = null, double? Magnitude = null, double? DurationSeconds = null, string? Client = null);

/// <summary>A result that is either a value or a message for the person who asked.</summary>
public sealed record ControlResult<T>(T? Value, string? Error, bool Forbidden = false)
{
    public bool Succeeded => Error is null;

    public static ControlResult<T> Ok(T value) => new(value, null);

    public static ControlResult<T> Fail(string error) => new(default, error);

    public static ControlResult<T> Deny(string error) => new(default, error, Forbidden: true);
}

/// <summary>
/// The one way to change the twin by hand, used by the Simulation page and the API alike: checks the caller's
/// role and the estate provider on the server, validates the request into a message a person can act on, acts,
/// and records who did it.
/// </summary>
public sealed class SimulationControl(EstateTopology estate, AuditLog audit, IFaultInjector? injector = null, VirtualClock? clock = null)
{
    private readonly IFaultInjector? _injector = estate.Provider == EstateProvider.Simulation ? injector : null;
    private readonly VirtualClock? _clock = estate.Provider == EstateProvider.Simulation ? clock : null;

    public bool Available => _injector is not null;

    public double? Speed => _clock?.Speed;

    public static bool MayControl(ClaimsPrincipal user) => Roles.SimulationControllers.Any(user.IsInRole);

    public async Task<ControlResult<ActiveFault>> InjectAsync(ClaimsPrincipal user, FaultRequest request, CancellationToken cancellationToken = default)
    {
        if (Deny<ActiveFault>(user) is { } denied)
        {
            return denied;
        }

        if (!FaultSpecParser.TryKind(request.Kind ?? "", out var kind))
        {
            return ControlResult<ActiveFault>.Fail($"'kind' is '{request.Kind}'; use one of outage, partition, latency, errors, throttle, flap, bad-deploy.");
        }

        if (request.DurationSeconds is { } d && (d < 1 || d > TimeSpan.FromDays(7).TotalSeconds))
        {
            return ControlResult<ActiveFault>.Fail($"'durationSeconds' is {d}; give 1 to 604800 seconds, or leave it out to run until cleared.");
        }

        var spec = new FaultSpec(kind, request.Region ?? "", request.PeerRegion, request.Magnitude,
            request.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, Client: request.Client);
        if (spec.Validate(estate) is { } problem)
        {
            return ControlResult<ActiveFault>.Fail($"Cannot inject {kind.ToString().ToLowerInvariant()}: {problem}.");
        }

        var fault = await _injector!.InjectAsync(spec, user.Identity!.Name, cancellationToken);
        await audit.AppendAsync(user.Identity!.Name!, Roles.Of(user), "fault.inject", Describe(spec), "succeeded", fault.Id, cancellationToken);
        return ControlResult<ActiveFault>.Ok(fault);
    }

    public async Task<ControlResult<bool>> ClearAsync(ClaimsPrincipal user, string faultId, CancellationToken cancellationToken = default)
    {
        if (Deny<bool>(user) is { } denied)
        {
            return denied;
        }

        var cleared = await _injector!.ClearAsync(faultId, cancellationToken);
        await audit.AppendAsync(user.Identity!.Name!, Roles.Of(user), "fault.clear", faultId, cleared ? "succeeded" : "not found", null, cancellationToken);
        return cleared ? ControlResult<bool>.Ok(true) : ControlResult<bool>.Fail($"No active fault has id '{faultId}'.");
    }

    public async Task<ControlResult<double>> SetSpeedAsync(ClaimsPrincipal user, double? speed, CancellationToken cancellationToken = default)
    {
        if (Deny<double>(user) is { } denied)
        {
            return denied;
        }

        if (speed is not { } value || double.IsNaN(value) || value < 0.1 || value > 10_000)
        {
            return ControlResult<double>.Fail($"'speed' is {speed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; give virtual seconds per real second from 0.1 to 10000 (1 is real time).");
        }

        _clock!.Speed = value;
        await audit.AppendAsync(user.Identity!.Name!, Roles.Of(user), "clock.speed", "simulation", "succeeded", value.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return ControlResult<double>.Ok(value);
    }

    public async Task<IReadOnlyList<ActiveFault>> ActiveAsync(CancellationToken cancellationToken = default) =>
        _injector is null ? [] : await _injector.ListAsync(cancellationToken);

    private ControlResult<T>? Deny<T>(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || !MayControl(user))
        {
            return ControlResult<T>.Deny("Only an Operator or an Admin may change the simulation.");
        }

        return _injector is null
            ? ControlResult<T>.Fail("The estate is not simulated (Estate:Provider is Aws); faults and the clock cannot be changed here.")
            : null;
    }

    private static string Describe(FaultSpec spec) =>
        spec.PeerRegion is null ? $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region}" : $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region}-{spec.PeerRegion}";
}
