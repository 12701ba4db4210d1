using System.Security.Claims;
using AWorld.Console.Accounts;
using AWorld.Console.Anomalies;
using AWorld.Console.ViewModels;
using AWorld.Core.Anomalies;
using AWorld.Core.Telemetry;

namespace AWorld.Console.Api;

public sealed record AcknowledgeBody(string? AnomalyId, string? Note);

/// <summary>Anomaly events (newest first, with their acknowledgements) and acknowledging one with a note.</summary>
public static class AnomaliesEndpoints
{
    public static IEndpointRouteBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        var anomalies = app.MapGroup("/api/anomalies");
        anomalies.MapGet("/", ListAsync);
        anomalies.MapPost("/acknowledgements", AcknowledgeAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? region, string? service, bool? open, AnomalyTracker tracker, AnomalyAcknowledgements acks, CancellationToken ct)
    {
        ServiceKind? kind = null;
        if (service is not null)
        {
            if (!Enum.TryParse<ServiceKind>(service, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ApiResults.Failed(AWorld.Core.Failure.Invalid($"'service' is '{service}'; use one of {string.Join(", ", Enum.GetNames<ServiceKind>())}."));
            }

            kind = parsed;
        }

        var filter = new AnomalyFilter(region, kind, open ?? false);
        var events = filter.Apply(tracker.All());
        var acknowledged = await acks.ForAsync([.. events.Select(e => e.Id)], ct);
        return Results.Ok(events.Select(e => new { anomaly = e, acknowledgement = acknowledged.GetValueOrDefault(e.Id) }));
    }

    private static async Task<IResult> AcknowledgeAsync(AcknowledgeBody? body, ClaimsPrincipal user, AnomalyAcknowledgements acks, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.AnomalyId))
        {
            return ApiResults.Failed(AWorld.Core.Failure.Invalid("The body must be JSON like {\"anomalyId\":\"eu-west-1/Api5xx@1795000000000\",\"note\":\"…\"}."));
        }

        return ApiResults.From(await acks.AcknowledgeAsync(body.AnomalyId, Actors.Of(user), body.Note, ct), ack => Results.Ok(ack));
    }
}
