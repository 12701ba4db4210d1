using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Engine;

namespace AWorld.Console.Live;

/// <summary>What an operator asks for when injecting a fault (the API's body and the Simulation page's form).</summary>
public sealed record FaultRequest(string? Kind, string? Region, string? PeerRegion = null, double? Magnitude = null, double? DurationSeconds = null, string? Client = null);

/// <summary>
/// The one way to change the twin by hand, used by the Simulation page and the API alike: checks the caller's
/// permission and the estate provider on the server, validates the request into a message a person can act on, acts,
/// and records who did it. Refusals: Forbidden (no <see cref="Permission.ControlSimulation"/>), Invalid (the
/// request, or an estate that is not simulated), NotFound (clearing a fault that is not active).
/// </summary>
public sealed class SimulationControl(EstateTopology estate, AuditLog audit, IFaultInjector? injector = null, VirtualClock? clock = null)
{
    private readonly IFaultInjector? _injector = estate.Provider == EstateProvider.Simulation ? injector : null;
    private readonly VirtualClock? _clock = estate.Provider == EstateProvider.Simulation ? clock : null;

    public bool Available => _injector is not null;

    public double? Speed => _clock?.Speed;

    public async Task<Outcome<ActiveFault>> InjectAsync(Actor actor, FaultRequest request, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused)
        {
            return refused;
        }

        if (!FaultSpecParser.TryKind(request.Kind ?? "", out var kind))
        {
            return Failure.Invalid($"'kind' is '{request.Kind}'; use one of outage, partition, latency, errors, throttle, flap, bad-deploy.");
        }

        if (request.DurationSeconds is { } d && (d < 1 || d > TimeSpan.FromDays(7).TotalSeconds))
        {
            return Failure.Invalid($"'durationSeconds' is {d}; give 1 to 604800 seconds, or leave it out to run until cleared.");
        }

        var spec = new FaultSpec(kind, request.Region ?? "", request.PeerRegion, request.Magnitude,
            request.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, Client: request.Client);
        if (spec.Validate(estate) is { } problem)
        {
            return Failure.Invalid($"Cannot inject {kind.ToString().ToLowerInvariant()}: {problem}.");
        }

        var fault = await _injector!.InjectAsync(spec, actor.Name, cancellationToken);
        await audit.AppendAsync(actor.Name, actor.Role, "fault.inject", Describe(spec), "succeeded", fault.Id, cancellationToken);
        return Outcome<ActiveFault>.Ok(fault);
    }

    public async Task<Outcome<bool>> ClearAsync(Actor actor, string faultId, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused)
        {
            return refused;
        }

        var cleared = await _injector!.ClearAsync(faultId, cancellationToken);
        await audit.AppendAsync(actor.Name, actor.Role, "fault.clear", faultId, cleared ? "succeeded" : "not found", null, cancellationToken);
        return cleared ? Outcome<bool>.Ok(true) : Failure.NotFound($"No active fault has id '{faultId}'.");
    }

    public async Task<Outcome<double>> SetSpeedAsync(Actor actor, double? speed, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused)
        {
            return refused;
        }

        if (speed is not { } value || double.IsNaN(value) || value < 0.1 || value > 10_000)
        {
            return Failure.Invalid($"'speed' is {speed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; give virtual seconds per real second from 0.1 to 10000 (1 is real time).");
        }

        _clock!.Speed = value;
        await audit.AppendAsync(actor.Name, actor.Role, "clock.speed", "simulation", "succeeded", value.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return Outcome<double>.Ok(value);
    }

    public async Task<IReadOnlyList<ActiveFault>> ActiveAsync(CancellationToken cancellationToken = default) =>
        _injector is null ? [] : await _injector.ListAsync(cancellationToken);

    private Failure? Refusal(Actor actor)
    {
        if (!actor.May(Permission.ControlSimulation))
        {
            return Failure.Forbidden("Only an Operator or an Admin may change the simulation.");
        }

        return _injector is null
            ? Failure.Invalid("The estate is not simulated (Estate:Provider is Aws); faults and the clock cannot be changed here.")
            : null;
    }

    private static string Describe(FaultSpec spec) =>
        spec.PeerRegion is null ? $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region}" : $"{spec.Kind.ToString().ToLowerInvariant()} {spec.Region}-{spec.PeerRegion}";
}
