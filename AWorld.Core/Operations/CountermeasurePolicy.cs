using AWorld.Core.Telemetry;

namespace AWorld.Core.Operations;

/// <summary>
/// The countermeasure ladder for a region that looks down. Two independent signals are read: Route 53's checkers
/// outside the region, and the region's own CloudWatch metrics (stale, or 5xx at the unhealthy threshold). When both
/// agree for <see cref="OperationsOptions.AutoFailoverAfter"/> and every safety rule holds, it fails the region over
/// by itself (audited as the system). In every other case — one signal only, or a rule that needs a person, such as
/// data at risk — it proposes the failover, with its plan, for a person to request and another to approve.
/// </summary>
/// <remarks>Not thread-safe: the console's driver calls <see cref="EvaluateAsync"/> after each poll.</remarks>
public sealed class CountermeasurePolicy(OperationService service, TelemetryOptions telemetry, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _suspectSince = new(StringComparer.Ordinal);

    public async Task EvaluateAsync(EstateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var options = service.Options;
        var now = time.GetUtcNow();
        foreach (var region in snapshot.Regions)
        {
            var route53Down = region.CheckersHealthyPercent is { } pct && pct <= 18;
            var metricsDown = region.IsStale || region.ErrorRate5xx >= telemetry.Thresholds.ErrorRateUnhealthy;
            var servedBefore = region.Role == Estate.RegionRole.Active;
            if (!(route53Down || metricsDown) || !servedBefore)
            {
                _suspectSince.Remove(region.Code);
                continue;
            }

            if (!_suspectSince.TryGetValue(region.Code, out var since))
            {
                _suspectSince[region.Code] = since = now;
            }

            if (now - since < options.AutoFailoverAfter)
            {
                continue;
            }

            var open = await service.RecentAsync(20, cancellationToken);
            if (open.Any(o => o.IsOpen && o.Request.From == region.Code) ||
                open.Any(o => o.Request.From == region.Code && o.FinishedAt is { } f && now - f < options.Cooldown))
            {
                continue;
            }

            var agree = route53Down && metricsDown;
            var evidence = $"Route 53: {(route53Down ? $"unhealthy ({region.CheckersHealthyPercent:0}% of checkers healthy)" : "healthy")}; CloudWatch: {(metricsDown ? (region.IsStale ? $"no data for {region.DataAge?.TotalSeconds:0} s" : $"5xx {region.ErrorRate5xx:P0}") : "normal")}; for {(now - since).TotalSeconds:0} s.";
            var request = new OperationRequest(OperationKind.Failover, region.Code, $"Countermeasure: {region.Code} looks down. {evidence}");
            if (agree && options.AutoFailover)
            {
                var requested = await service.RequestAsync(request, Actor.System, null, cancellationToken);
                if (requested.Operation is { } op && await service.AutoApproveAsync(op, cancellationToken) is not null)
                {
                    continue;
                }

                if (requested.Operation is { } pending)
                {
                    // A rule needs a person (data at risk, typically): leave it for an Approver, with the reason.
                    await service.AuditAsync(Actor.System, "countermeasure.escalate", pending, "needs a person", SafetyRules.Blocking(await service.CheckAsync(pending, cancellationToken)), cancellationToken);
                    continue;
                }
            }

            await service.ProposeAsync(request, cancellationToken);
        }
    }
}
