using System.Globalization;
using System.Text.Json;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>What an operator asks for when injecting a fault: the body of the console's <c>/api/simulation/faults</c>.</summary>
public sealed record FaultRequest(string? Kind, string? Region, string? PeerRegion = null, double? Magnitude = null, double? DurationSeconds = null, string? Client = null);

/// <summary>A fault as the console's <c>/api/simulation/faults</c> answers it.</summary>
public sealed record FaultResponse(string Id, string Kind, string Region, string? PeerRegion, double Magnitude, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? InjectedBy)
{
    public static FaultResponse From(ActiveFault f) =>
        new(f.Id, f.Spec.Kind.ToString().ToLowerInvariant(), f.Spec.Region, f.Spec.PeerRegion, f.Spec.EffectiveMagnitude, f.StartsAt, f.EndsAt, f.InjectedBy);
}

/// <summary>The served twin's clock: where it started, where it is, how fast it runs and its seed.</summary>
public sealed record TwinClockResponse(DateTimeOffset StartTime, DateTimeOffset Now, DateTimeOffset ClockNow, double Speed, long Seed);

/// <summary>
/// The twin's own control, beside the AWS APIs and without a signature, for loopback callers only:
/// <c>GET/POST /_twin/faults</c> and <c>DELETE /_twin/faults/{id}</c> take and answer the same JSON as the console's
/// <c>/api/simulation/faults</c> (errors as <c>{"error": …}</c>); <c>GET /_twin/clock</c> tells the twin's start, present,
/// speed and seed, <c>GET /_twin/truth</c> its ground truth (what AWS would never say) and <c>GET /_twin/clients/{region}</c>
/// each client's rate and limit in a region (the twin's <see cref="IClientThrottler"/>), for tests and drills.
/// </summary>
internal sealed class TwinControl(EstateTopology estate, IFaultInjector faults, IClientThrottler throttler, EstateTwin twin, VirtualClock clock)
{
    public const string InjectedBy = "twin-serve";

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } address && !System.Net.IPAddress.IsLoopback(address))
        {
            await RespondAsync(http, 403, new { error = "The twin's control answers loopback callers only." });
            return;
        }

        var ct = http.RequestAborted;
        var segments = (http.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (http.Request.Method, segments)
        {
            case ("GET", ["_twin", "faults"]):
                await RespondAsync(http, 200, (await faults.ListAsync(ct)).Select(FaultResponse.From));
                break;
            case ("POST", ["_twin", "faults"]):
                await InjectAsync(http, ct);
                break;
            case ("DELETE", ["_twin", "faults", var id]):
                if (await faults.ClearAsync(id, ct))
                {
                    http.Response.StatusCode = 204;
                }
                else
                {
                    await RespondAsync(http, 404, new { error = $"No active fault has id '{id}'." });
                }

                break;
            case ("GET", ["_twin", "clock"]):
                await RespondAsync(http, 200, new TwinClockResponse(twin.StartTime, twin.Now, clock.GetUtcNow(), clock.Speed, twin.Seed));
                break;
            case ("GET", ["_twin", "truth"]):
                await RespondAsync(http, 200, twin.Truth());
                break;
            case ("GET", ["_twin", "clients", var region]) when estate.TryGetRegion(region, out _):
                await RespondAsync(http, 200, await throttler.TopClientsAsync(region, ClientMetrics.Clients.Count, ct));
                break;
            default:
                await RespondAsync(http, 404, new { error = $"No {http.Request.Method} {http.Request.Path}: use GET/POST /_twin/faults, DELETE /_twin/faults/{{id}}, GET /_twin/clock, GET /_twin/truth or GET /_twin/clients/{{region}}." });
                break;
        }
    }

    private async Task InjectAsync(HttpContext http, CancellationToken ct)
    {
        FaultRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<FaultRequest>(http.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            await RespondAsync(http, 400, new { error = "The body must be JSON like {\"kind\":\"outage\",\"region\":\"eu-west-1\",\"durationSeconds\":600}." });
            return;
        }

        if (!FaultSpecParser.TryKind(request.Kind ?? "", out var kind))
        {
            await RespondAsync(http, 400, new { error = $"'kind' is '{request.Kind}'; use one of outage, partition, latency, errors, throttle, flap, bad-deploy." });
            return;
        }

        if (request.DurationSeconds is { } d && (d < 1 || d > TimeSpan.FromDays(7).TotalSeconds))
        {
            await RespondAsync(http, 400, new { error = $"'durationSeconds' is {d.ToString(CultureInfo.InvariantCulture)}; give 1 to 604800 seconds, or leave it out to run until cleared." });
            return;
        }

        var spec = new FaultSpec(kind, request.Region ?? "", request.PeerRegion, request.Magnitude,
            request.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, Client: request.Client);
        if (spec.Validate(estate) is { } problem)
        {
            await RespondAsync(http, 400, new { error = $"Cannot inject {kind.ToString().ToLowerInvariant()}: {problem}." });
            return;
        }

        var fault = await faults.InjectAsync(spec, InjectedBy, ct);
        http.Response.Headers.Location = $"/_twin/faults/{fault.Id}";
        await RespondAsync(http, 201, FaultResponse.From(fault));
    }

    private static Task RespondAsync<T>(HttpContext http, int status, T body)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
