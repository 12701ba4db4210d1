using System.Collections.Concurrent;
using System.Collections.Immutable;
using AWorld.Aws.Http;
using AWorld.Aws.Telemetry;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// Per-client throttling through API Gateway usage plans (<see cref="AwsThrottlingOptions"/>, per region). A client is
/// an API key, by name. Its rate comes from <see cref="AwsThrottlingOptions.ClientRateMetric"/>: the latest period of
/// the rate window now, the mean of the periods before it as its usual rate. Its limit is the <c>rateLimit</c> of the
/// plan its key is in (0 when that plan sets none); it is reduced while its key is in the restricted plan.
/// <see cref="SetClientLimitAsync"/> moves the key to the restricted plan (any limit: the plan's own applies, one limit
/// for all its keys) or back to the default plan (null). A region without throttling options has no clients.
/// </summary>
/// <remarks>
/// Thread-safe. Rates and membership are read at most once per <see cref="AwsThrottlingOptions.RefreshInterval"/> a
/// region and read again after a move.
/// </remarks>
public sealed class UsagePlanThrottler : IClientThrottler
{
    private readonly ApiGatewayClient _apiGateway;
    private readonly ICloudWatchMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, AwsThrottlingOptions> _regions;
    private readonly ConcurrentDictionary<string, Reading> _readings = new(StringComparer.Ordinal);

    public UsagePlanThrottler(ApiGatewayClient apiGateway, ICloudWatchMetrics metrics, IOptions<AwsOptions> options, TimeProvider time)
    {
        _apiGateway = apiGateway;
        _metrics = metrics;
        _time = time;
        _regions = options.Value.Throttling;
    }

    public async Task<IReadOnlyList<ClientRate>> TopClientsAsync(string region, int count, CancellationToken cancellationToken)
    {
        if (!_regions.TryGetValue(region, out var options))
        {
            return [];
        }

        var now = _time.GetUtcNow();
        if (!_readings.TryGetValue(region, out var reading) || now - reading.At >= options.RefreshInterval)
        {
            reading = new Reading(now, await ReadAsync(region, options, now, cancellationToken));
            _readings[region] = reading;
        }

        return [.. reading.Clients.Take(count)];
    }

    public async Task SetClientLimitAsync(string region, string client, double? requestsPerSecond, CancellationToken cancellationToken)
    {
        var options = Options(region);
        var restrict = requestsPerSecond is not null;
        var keyId = await KeyIdAsync(region, client, cancellationToken);
        var inRestricted = await IsInPlanAsync(region, options.RestrictedUsagePlanId, client, keyId, cancellationToken);
        var inDefault = await IsInPlanAsync(region, options.DefaultUsagePlanId, client, keyId, cancellationToken);
        if (restrict ? inRestricted && !inDefault : inDefault && !inRestricted)
        {
            return;
        }

        var (from, to) = restrict
            ? (inDefault ? options.DefaultUsagePlanId : null, options.RestrictedUsagePlanId)
            : (inRestricted ? options.RestrictedUsagePlanId : null, options.DefaultUsagePlanId);
        var target = await _apiGateway.GetUsagePlanAsync(region, to, cancellationToken);
        if (!target.Covers(options.RestApiId, options.Stage))
        {
            throw new EstateServiceException(AwsServices.DisplayName(AwsService.ApiGateway), region, CountermeasureErrors.Refused,
                $"usage plan {to} does not cover API {options.RestApiId} stage {options.Stage}: moving {client}'s key there would cut it off instead of limiting it. Add the stage to the plan, or fix Estate:Aws:Throttling:{region}.");
        }

        await _apiGateway.MoveUsagePlanKeyAsync(region, keyId, from, to, cancellationToken);
        _readings.TryRemove(region, out _);
    }

    private async Task<ImmutableArray<ClientRate>> ReadAsync(string region, AwsThrottlingOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var metric = options.ClientRateMetric;
        var period = TimeSpan.FromSeconds(metric.PeriodSeconds);
        // Whole periods, so that the windows hold the same periods whenever they are read.
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % period.Ticks), TimeSpan.Zero);
        var rateFrom = end - options.RateWindow;
        var start = rateFrom - options.BaselineWindow;
        var queries = options.Clients
            .Select((client, i) => new MetricDataQuery($"c{i}", new MetricStat(metric.Namespace, metric.MetricName,
                [.. metric.Dimensions.Select(d => new MetricDimension(d.Key, d.Value.Replace("{client}", client, StringComparison.Ordinal).Replace("{region}", region, StringComparison.Ordinal)))],
                metric.PeriodSeconds, metric.Stat)))
            .ToList();
        var results = (await _metrics.GetMetricDataAsync(string.IsNullOrEmpty(metric.Region) ? region : metric.Region, start, end, queries, cancellationToken))
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var normal = await _apiGateway.GetUsagePlanAsync(region, options.DefaultUsagePlanId, cancellationToken);
        var restricted = await _apiGateway.GetUsagePlanAsync(region, options.RestrictedUsagePlanId, cancellationToken);
        var reduced = (await _apiGateway.GetUsagePlanKeysAsync(region, options.RestrictedUsagePlanId, null, cancellationToken))
            .Select(k => k.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);

        return [.. options.Clients
            .Select((client, i) =>
            {
                var points = results.TryGetValue($"c{i}", out var r)
                    ? r.Timestamps.Zip(r.Values).Where(p => p.First >= start && p.First < end).ToList()
                    : [];
                var latest = points.Where(p => p.First >= rateFrom).OrderBy(p => p.First).LastOrDefault();
                var usual = points.Where(p => p.First < rateFrom).Select(p => p.Second).DefaultIfEmpty(0).Average();
                var isReduced = reduced.Contains(client);
                var plan = isReduced ? restricted : normal;
                return new ClientRate(client, latest.Second / period.TotalSeconds, usual / period.TotalSeconds, plan.Throttle?.RateLimit ?? 0, isReduced);
            })
            .OrderByDescending(c => c.RequestsPerSecond)
            .ThenBy(c => c.Client, StringComparer.Ordinal)];
    }

    private async Task<string> KeyIdAsync(string region, string client, CancellationToken cancellationToken)
    {
        var keys = (await _apiGateway.GetApiKeysAsync(region, client, cancellationToken)).Where(k => k.Name == client).ToList();
        return keys.Count switch
        {
            1 => keys[0].Id,
            0 => throw new EstateServiceException(AwsServices.DisplayName(AwsService.ApiGateway), region, CountermeasureErrors.ClientNotFound,
                $"no API key is named '{client}' in {region}. The clients of Estate:Aws:Throttling:{region}:Clients are API key names."),
            _ => throw new EstateServiceException(AwsServices.DisplayName(AwsService.ApiGateway), region, CountermeasureErrors.Refused,
                $"{keys.Count} API keys are named '{client}' in {region} ({string.Join(", ", keys.Select(k => k.Id))}); the console cannot tell which one to move. Give each client's key its own name."),
        };
    }

    private async Task<bool> IsInPlanAsync(string region, string usagePlanId, string client, string keyId, CancellationToken cancellationToken) =>
        (await _apiGateway.GetUsagePlanKeysAsync(region, usagePlanId, client, cancellationToken)).Any(k => k.Id == keyId);

    private AwsThrottlingOptions Options(string region) =>
        _regions.TryGetValue(region, out var options)
            ? options
            : throw new EstateServiceException(AwsServices.DisplayName(AwsService.ApiGateway), region, CountermeasureErrors.NotConfigured,
                $"no per-client throttling is configured for {region}. Configure Estate:Aws:Throttling:{region} (its usage plans and clients).");

    private sealed record Reading(DateTimeOffset At, ImmutableArray<ClientRate> Clients);
}
