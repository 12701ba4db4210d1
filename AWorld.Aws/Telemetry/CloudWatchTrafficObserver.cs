using System.Collections.Immutable;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Telemetry;

/// <summary>
/// The traffic clients send to a region, as the API saw it: the region's share of the API's request count
/// (<c>AWS/ApiGateway Count</c>, Sum, by <c>ApiName</c>) over the last <see cref="AwsOptions.TrafficShareWindow"/> among every region of the
/// estate, each read from its own region's CloudWatch; 0 when the estate served nothing. Requests a region did not
/// answer at its gateway are not counted, so a region that is down reads as 0; so does a region whose CloudWatch does
/// not answer (a regional outage takes its metrics with it): nothing can be seen served there, and a failover away from
/// a dead region must not wait on its metrics. Only when no region answers is the share unknown (an error).
/// </summary>
/// <remarks>Thread-safe. One GetMetricData call per region per read, made in parallel.</remarks>
public sealed class CloudWatchTrafficObserver : ITrafficObserver
{
    private const string QueryId = "requests";

    private readonly ICloudWatchMetrics _metrics;
    private readonly EstateTopology _topology;
    private readonly TimeProvider _clock;
    private readonly MetricStat _requests;
    private readonly TimeSpan _window;

    public CloudWatchTrafficObserver(ICloudWatchMetrics metrics, IOptions<AwsOptions> options, EstateTopology topology, [FromKeyedServices(EstateClock.Key)] TimeProvider clock)
    {
        _metrics = metrics;
        _topology = topology;
        _clock = clock;
        var api = MetricCatalog.Descriptors[EstateMetric.ApiRequests];
        _requests = new MetricStat(api.Namespace, api.MetricName, [new MetricDimension("ApiName", options.Value.Resources.ApiName)],
            Math.Max(1, options.Value.MetricPeriodSeconds), "Sum");
        _window = options.Value.TrafficShareWindow;
    }

    /// <exception cref="ArgumentException"><paramref name="region"/> is not a region of the estate.</exception>
    /// <exception cref="EstateServiceException">A region's CloudWatch refused or failed the call.</exception>
    public async Task<double> SentShareAsync(string region, CancellationToken cancellationToken)
    {
        var index = _topology.Region(region).Index;
        var now = _clock.GetUtcNow();
        var reads = await Task.WhenAll(_topology.Regions.Select(r => TryRequestsAsync(r.Code, now, cancellationToken)));
        if (reads.All(r => r.Error is not null))
        {
            throw reads[index].Error!;
        }

        var counts = reads.Select(r => r.Requests).ToArray();
        var total = counts.Sum();
        return total > 0 ? counts[index] / total : 0;
    }

    private async Task<(double Requests, EstateServiceException? Error)> TryRequestsAsync(string region, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return (await RequestsAsync(region, now, cancellationToken), null);
        }
        catch (EstateServiceException ex) when (ex.ErrorCode is "ServiceUnavailable" or "RequestTimeout" or "ConnectionFailed" or "InternalFailure" or "Http503" or "Http502" or "Http504")
        {
            return (0, ex);
        }
    }

    private async Task<double> RequestsAsync(string region, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ImmutableArray<MetricDataQuery> query = [new MetricDataQuery(QueryId, _requests)];
        var results = await _metrics.GetMetricDataAsync(region, now - _window, now, query, cancellationToken);
        return results.Where(r => r.Id == QueryId).SelectMany(r => r.Values).Where(double.IsFinite).Sum();
    }
}
