using AWorld.Core.Engine;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Operations;

/// <summary>
/// The countermeasure ladder. Bounded and audited automatic steps first: throttle a client whose rate is far above
/// its usual one (to twice its usual rate, restored when it calms down), and scale out a region whose load climbs
/// well above its usual level (by steps, up to a maximum). Then, for a region that looks down: Two independent signals are read: Route 53's checkers
/// outside the region, and the region's own CloudWatch metrics (stale, or 5xx at the unhealthy threshold). When both
/// agree for <see cref="OperationsOptions.AutoFailoverAfter"/> and every safety rule holds, it fails the region over
/// by itself (audited as the system). In every other case — one signal only, or a rule that needs a person, such as
/// data at risk — it proposes the failover, with its plan, for a person to request and another to approve.
/// Anomalies feed the ladder: a rising anomaly on a region's request count is a load signal for scaling out, and
/// one on its 5xx, Lambda errors or p99 latency is a metrics signal for the failover rung.
/// </summary>
/// <remarks>Not thread-safe: the console's driver calls <see cref="EvaluateAsync"/> after each poll.</remarks>
public sealed class CountermeasurePolicy(
    OperationService service,
    IOptions<TelemetryOptions> telemetryOptions,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time,
    Evidence.AuditLog? audit = null,
    Estate.IClientThrottler? throttler = null,
    Estate.IRegionScaler? scaler = null)
{
    private readonly TelemetryOptions _telemetry = telemetryOptions.Value;
    private static readonly TimeSpan ScaleOutAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ScaleOutCooldown = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, DateTimeOffset> _suspectSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _agreeSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _usualLoad = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _loadHighSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastScaleOut = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dryRuns = new(StringComparer.Ordinal);

    public async Task EvaluateAsync(EstateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var options = service.Options;
        var now = time.GetUtcNow();
        foreach (var region in snapshot.Regions.Where(r => !r.IsStale))
        {
            await ThrottleAsync(region, options, cancellationToken);
            await ScaleAsync(region, options, now, Rising(snapshot, region.Code, Telemetry.EstateMetric.ApiRequests) is not null, cancellationToken);
        }

        foreach (var region in snapshot.Regions)
        {
            var route53Down = region.CheckersHealthyPercent is { } pct && pct <= 18;
            // An anomaly on the region's errors or latency counts as its own metrics' signal, with the band as evidence.
            var anomaly = Rising(snapshot, region.Code, Telemetry.EstateMetric.Api5xx)
                ?? Rising(snapshot, region.Code, Telemetry.EstateMetric.LambdaErrors)
                ?? Rising(snapshot, region.Code, Telemetry.EstateMetric.ApiLatencyP99);
            // The region's own signals: its canary writes (within seconds), its complete CloudWatch minutes, its anomalies.
            var canaryDown = region.CanaryLate || region.CanarySuccessRatio < _telemetry.Thresholds.CanarySuccessUnhealthy;
            var metricsDown = canaryDown || region.IsStale || region.ErrorRate5xx >= _telemetry.Thresholds.ErrorRateUnhealthy || anomaly is not null;
            var agree = route53Down && metricsDown;
            if (!(route53Down || metricsDown) || region.Role != Estate.RegionRole.Active)
            {
                _suspectSince.Remove(region.Code);
                _agreeSince.Remove(region.Code);
                continue;
            }

            var suspect = Since(_suspectSince, region.Code, now);
            var agreed = agree ? Since(_agreeSince, region.Code, now) : (TimeSpan?)null;
            if (!agree)
            {
                _agreeSince.Remove(region.Code);
            }

            // Both signals for a minute: act. One signal only: give the other time to agree before asking people.
            var act = agreed >= options.AutoFailoverAfter;
            var propose = !agree && suspect >= options.AutoFailoverAfter * 3;
            if (!act && !propose)
            {
                continue;
            }

            var recent = await service.RecentAsync(20, cancellationToken);
            if (recent.Any(o => o.Request.From == region.Code && ((o.IsOpen && o.State != OperationState.Proposed) || (o.FinishedAt is { } f && now - f < options.Cooldown))))
            {
                continue;
            }

            var cloudWatch = !metricsDown ? "normal"
                : canaryDown ? (region.CanaryLate ? "canary gone quiet" : $"canary writes {region.CanarySuccessRatio:P0} succeeding")
                : region.IsStale ? $"metrics later than expected (newest {region.DataAge?.TotalSeconds:0} s old)"
                : region.ErrorRate5xx >= _telemetry.Thresholds.ErrorRateUnhealthy ? $"5xx {region.ErrorRate5xx:P0}"
                : $"anomaly on {anomaly!.Label} since {anomaly.Start:HH:mm:ss} (saw {anomaly.PeakValue:0.##}, expected {anomaly.Lower:0.##}–{anomaly.Upper:0.##} {anomaly.Unit})";
            var evidence = $"Route 53: {(route53Down ? $"unhealthy ({region.CheckersHealthyPercent:0}% of checkers healthy)" : "healthy")}; CloudWatch: {cloudWatch}; for {suspect.TotalSeconds:0} s.";
            var request = new OperationRequest(OperationKind.Failover, region.Code, $"Countermeasure: {region.Code} looks down. {evidence}");
            var proposal = recent.FirstOrDefault(o => o.Request.From == region.Code && o.State == OperationState.Proposed);
            if (act && options.AutoFailover)
            {
                if (proposal is not null)
                {
                    await service.RejectAsync(proposal.Id, new Actor(Actor.System.Name, RoleNames.Admin), "superseded: every signal now agrees and the ladder acts", cancellationToken);
                }

                var requested = await service.RequestAsync(request, Actor.System, null, cancellationToken);
                if (requested.Operation is { } op && await service.AutoApproveAsync(op, cancellationToken) is null)
                {
                    // A rule needs a person (data at risk, typically): the request waits for an Approver.
                    await service.AuditAsync(Actor.System, "countermeasure.escalate", op, "needs a person", SafetyRules.Blocking(await service.CheckAsync(op, cancellationToken)), cancellationToken);
                }

                continue;
            }

            if (proposal is null)
            {
                await service.ProposeAsync(request, cancellationToken);
            }
        }
    }

    private static TimeSpan Since(Dictionary<string, DateTimeOffset> map, string key, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var since))
        {
            map[key] = since = now;
        }

        return now - since;
    }

    private async Task ThrottleAsync(RegionSnapshot region, OperationsOptions options, CancellationToken cancellationToken)
    {
        if (throttler is null)
        {
            return;
        }

        try
        {
            foreach (var client in await throttler.TopClientsAsync(region.Code, 5, cancellationToken))
            {
                if (!client.Reduced && client.BaselineRequestsPerSecond > 0 && client.RequestsPerSecond > options.ThrottleAtMultiple * client.BaselineRequestsPerSecond)
                {
                    var limit = Math.Max(1, options.ThrottleToMultiple * client.BaselineRequestsPerSecond);
                    if (!await TryChangeAsync($"throttle {region.Code} {client.Client}", "countermeasure.throttle", () => throttler.SetClientLimitAsync(region.Code, client.Client, limit, cancellationToken), cancellationToken))
                    {
                        continue;
                    }

                    await AuditAsync("countermeasure.throttle", $"{region.Code} {client.Client}", $"limit {limit:0} req/s",
                        $"{client.Client} sent {client.RequestsPerSecond:0} req/s, {client.RequestsPerSecond / client.BaselineRequestsPerSecond:0}x its usual {client.BaselineRequestsPerSecond:0}", cancellationToken);
                }
                else if (client.Reduced && client.RequestsPerSecond <= options.ThrottleToMultiple * client.BaselineRequestsPerSecond)
                {
                    if (!await TryChangeAsync($"unthrottle {region.Code} {client.Client}", "countermeasure.unthrottle", () => throttler.SetClientLimitAsync(region.Code, client.Client, null, cancellationToken), cancellationToken))
                    {
                        continue;
                    }

                    await AuditAsync("countermeasure.unthrottle", $"{region.Code} {client.Client}", "default limit restored",
                        $"{client.Client} is back to {client.RequestsPerSecond:0} req/s", cancellationToken);
                }
            }
        }
        catch (Estate.EstateServiceException)
        {
            // The region's API front door does not answer; the outage rung below deals with that.
        }
    }

    /// <summary>An open anomaly on the region's metric whose values rose above the expected band, if any.</summary>
    private static Anomalies.AnomalyEvent? Rising(EstateSnapshot snapshot, string region, Telemetry.EstateMetric metric) =>
        snapshot.Anomalies.FirstOrDefault(a => a.IsOpen && a.IsRise && a.Region == region && a.Metric == metric);

    private async Task ScaleAsync(RegionSnapshot region, OperationsOptions options, DateTimeOffset now, bool loadAnomaly, CancellationToken cancellationToken)
    {
        if (scaler is null || region.RequestsPerSecond is not { } load || load <= 0)
        {
            return;
        }

        // The usual load follows the daily curve slowly (about half an hour at one poll a second).
        var usual = _usualLoad.TryGetValue(region.Code, out var u) ? u + ((load - u) / 1800) : load;
        _usualLoad[region.Code] = usual;
        // High: well above the usual level, or above it while the detector sees the request count leave its band.
        if (load <= options.ScaleOutAtLoadMultiple * usual && !(loadAnomaly && load > usual))
        {
            _loadHighSince.Remove(region.Code);
            return;
        }

        if (!_loadHighSince.TryGetValue(region.Code, out var since))
        {
            _loadHighSince[region.Code] = since = now;
        }

        if (now - since < ScaleOutAfter || (_lastScaleOut.TryGetValue(region.Code, out var last) && now - last < ScaleOutCooldown))
        {
            return;
        }

        try
        {
            var scale = await scaler.GetScaleAsync(region.Code, cancellationToken);
            if (scale >= options.MaxScale)
            {
                return;
            }

            var next = Math.Min(options.MaxScale, scale * options.ScaleOutStep);
            _lastScaleOut[region.Code] = now;
            if (!await TryChangeAsync($"scale-out {region.Code}", "countermeasure.scale-out", () => scaler.SetScaleAsync(region.Code, next, cancellationToken), cancellationToken))
            {
                return;
            }

            await AuditAsync("countermeasure.scale-out", region.Code, $"capacity x{scale:0.##} → x{next:0.##}",
                $"{load:0} req/s for {(now - since).TotalSeconds:0} s against a usual {usual:0} req/s", cancellationToken);
        }
        catch (Estate.EstateServiceException)
        {
            // Cannot scale a region that does not answer.
        }
    }

    /// <summary>
    /// Makes a change; false when it was not sent because changes are off (a dry run). The first dry run of each change
    /// is audited with the request it would have sent, so that people see what the ladder would have done; repeats of
    /// the same change are not (the ladder judges every poll).
    /// </summary>
    private async Task<bool> TryChangeAsync(string key, string action, Func<Task> change, CancellationToken cancellationToken)
    {
        try
        {
            await change();
            _dryRuns.Remove(key);
            return true;
        }
        catch (Estate.EstateServiceException ex) when (ex.IsDryRun)
        {
            if (_dryRuns.Add(key))
            {
                await AuditAsync(action, key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..], "dry run", ex.Message, cancellationToken);
            }

            return false;
        }
    }

    private Task AuditAsync(string action, string target, string outcome, string reason, CancellationToken cancellationToken) =>
        audit?.AppendAsync(Actor.System.Name, Actor.System.Role, action, target, outcome, reason, cancellationToken) ?? Task.CompletedTask;
}
