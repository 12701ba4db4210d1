using System.Security.Claims;
using AWorld.Console.Accounts;
using AWorld.Console.Drills;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Evidence;

namespace AWorld.Console.Api;

public sealed record DrillSummary(
    string Id, string Scenario, string Region, string Policy, string Mode, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    string State, bool? Passed, double? DetectionSeconds, double? RtoSeconds, double? RpoSeconds, string? Verdict,
    string? ManifestSha256, string? PreviousManifestSha256, string? SignedOffBy, DateTimeOffset? SignedOffAt)
{
    public static DrillSummary From(DrillRunRow r) => new(
        r.Id, r.Scenario, r.Region, r.Policy, r.Mode, r.StartedBy, new(r.StartedAtTicks, TimeSpan.Zero), r.EndedAtTicks is { } e ? new(e, TimeSpan.Zero) : null,
        r.State.ToString(), r.Passed, r.DetectionSeconds, r.RtoSeconds, r.RpoSeconds, r.Verdict, r.ManifestSha256, r.PreviousManifestSha256,
        r.SignedOffBy, r.SignedOffAtTicks is { } s ? new(s, TimeSpan.Zero) : null);
}

public sealed record ScheduleBody(string? Cron, string? Scenario, string? Region, string? Policy);

/// <summary>
/// Drills (history, live drill, run, sign off, schedules, overdue) and evidence (download a pack, the public key,
/// verify an uploaded pack, verify every stored pack). Each decision is made by the coordinator or here, on the server.
/// </summary>
public static class DrillsEndpoints
{
    /// <summary>Uploaded packs larger than this are refused before reading.</summary>
    public const long MaxUploadBytes = 100L * 1024 * 1024;

    public static IEndpointRouteBuilder MapDrillsApi(this IEndpointRouteBuilder app)
    {
        var drills = app.MapGroup("/api/drills");
        drills.MapGet("/", async (DrillRepository r, CancellationToken ct) => Results.Ok((await r.HistoryAsync(200, ct)).Select(DrillSummary.From)));
        drills.MapGet("/live", (DrillHost host) => host.Live is { } live
            ? Results.Ok(new { live.DrillId, scenario = live.Plan.Definition.Name, region = live.Plan.TargetRegion, policy = live.Plan.Policy.ToString(), live.StartedAt, live.Timeline, live.Measurements })
            : Results.NoContent());
        drills.MapGet("/overdue", async (DrillSchedules s, CancellationToken ct) => Results.Ok(await s.OverdueAsync(ct)));
        drills.MapGet("/schedules", async (DrillSchedules s, CancellationToken ct) => Results.Ok(await s.ListAsync(ct)));
        drills.MapPost("/schedules", async (ScheduleBody? body, ClaimsPrincipal user, DrillSchedules s, CancellationToken ct) =>
            body is null
                ? ApiError.Respond(StatusCodes.Status400BadRequest, "The body must be JSON like {\"cron\":\"0 3 * * 1\",\"scenario\":\"region-outage\",\"region\":\"eu-west-1\",\"policy\":\"automatic\"}.")
                : ApiResults.From(await s.AddAsync(body.Cron, new DrillRequest(body.Scenario, body.Region, body.Policy, "full-speed"), Actors.Of(user), ct), id => Results.Created($"/api/drills/schedules/{id}", new { id })));
        drills.MapDelete("/schedules/{id:int}", async (int id, ClaimsPrincipal user, DrillSchedules s, CancellationToken ct) =>
            ApiResults.From(await s.RemoveAsync(id, Actors.Of(user), ct), _ => Results.NoContent()));
        drills.MapPost("/", async (DrillRequest? body, ClaimsPrincipal user, DrillCommands c, CancellationToken ct) =>
            body is null
                ? ApiError.Respond(StatusCodes.Status400BadRequest, "The body must be JSON like {\"scenario\":\"region-outage\",\"region\":\"eu-west-1\",\"policy\":\"automatic\",\"mode\":\"full-speed\"}.")
                : ApiResults.From(await c.StartAsync(body, Actors.Of(user), cancellationToken: ct), id => Results.Created($"/api/drills/{id}", new { id })));
        drills.MapGet("/{id}", async (string id, DrillRepository r, CancellationToken ct) =>
            await r.ReportAsync(id, ct) is { } report ? Results.Ok(report) : ApiError.Respond(StatusCodes.Status404NotFound, $"No completed drill has id '{id}'."));
        drills.MapPost("/{id}/sign-off", async (string id, ClaimsPrincipal user, DrillCommands c, CancellationToken ct) =>
            ApiResults.From(await c.SignOffAsync(id, Actors.Of(user), ct), _ => Results.Ok(new { id })));

        var evidence = app.MapGroup("/api/evidence").RequireAuthorization(nameof(Permission.ReadEvidence));
        evidence.MapGet("/public-key", (EvidenceArchive a) => Results.Text(a.PublicKeyPem, "application/x-pem-file"));
        evidence.MapGet("/packs/{id}", DownloadAsync);
        evidence.MapPost("/verify", VerifyAsync).DisableAntiforgery();
        evidence.MapGet("/verify-all", async (EvidenceArchive a, CancellationToken ct) =>
        {
            var (packs, problem) = await a.VerifyAllAsync(ct);
            return Results.Ok(new { verified = problem is null, packs, problem });
        });
        return app;
    }

    private static async Task<IResult> DownloadAsync(string id, ClaimsPrincipal user, EvidenceArchive archive, AuditLog audit, CancellationToken ct)
    {
        if (await archive.OpenAsync(id, ct) is not { } pack)
        {
            return ApiError.Respond(StatusCodes.Status404NotFound, $"Drill '{id}' has no evidence pack (unknown drill, or still running).");
        }

        var actor = Actors.Of(user);
        await audit.AppendAsync(actor.Name, actor.Role, "evidence.export", id, "downloaded", pack.FileName, ct);
        return Results.File(pack.Content, "application/zip", pack.FileName);
    }

    private static async Task<IResult> VerifyAsync(HttpRequest request, EvidenceArchive archive, CancellationToken ct)
    {
        if (request.ContentLength is > MaxUploadBytes)
        {
            return ApiError.Respond(StatusCodes.Status413PayloadTooLarge, $"The pack is larger than {MaxUploadBytes / 1024 / 1024} MB; verify it offline with 'aworld evidence verify'.");
        }

        using var buffer = new MemoryStream();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0 || form.Files[0] is not { } file)
            {
                return ApiError.Respond(StatusCodes.Status400BadRequest, "Attach the pack as a file (form field 'pack') or send it as the body (Content-Type: application/zip).");
            }

            await file.CopyToAsync(buffer, ct);
        }
        else
        {
            await request.Body.CopyToAsync(buffer, ct);
        }

        if (buffer.Length == 0)
        {
            return ApiError.Respond(StatusCodes.Status400BadRequest, "The upload is empty; send the evidence pack zip.");
        }

        buffer.Position = 0;
        return Results.Ok(archive.Verify(buffer));
    }
}
