using AWorld.Aws.Telemetry;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Data;

/// <summary>
/// How well the estate's clients are served: the ground truth of a drill's recovery. Against AWS it comes from
/// synthetic clients (CloudWatch Synthetics, or any prober that publishes a metric); a host may register its own.
/// </summary>
public interface IClientSuccessSource
{
    /// <summary>
    /// The clients' success ratio, 0 to 1, of the newest period that has data; null when it is unknown (no metric
    /// configured, no data yet, or the read failed).
    /// </summary>
    Task<double?> SuccessRatioAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IClientSuccessSource"/> from the CloudWatch metric <see cref="AwsOptions.ClientSuccessMetric"/> (in its
/// region, or the estate's first), divided by <see cref="AwsOptions.ClientSuccessFullScale"/>: the newest datapoint
/// of the last five whole periods before the estate clock's present (CloudWatch's standard metrics arrive one to
/// three minutes late). One <c>GetMetricData</c> of one metric per call; the ground truth calls it every
/// <see cref="AwsGroundTruthOptions.RefreshInterval"/>. Thread-safe and stateless.
/// </summary>
public sealed class CloudWatchClientSuccess(
    ICloudWatchMetrics metrics,
    IOptions<AwsOptions> options,
    EstateTopology estate,
    [FromKeyedServices(EstateClock.Key)] TimeProvider clock) : IClientSuccessSource
{
    private const int LookbackPeriods = 5;

    public async Task<double?> SuccessRatioAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.ClientSuccessMetric is not { } metric || string.IsNullOrWhiteSpace(metric.MetricName))
        {
            return null;
        }

        var period = TimeSpan.FromSeconds(Math.Max(1, metric.PeriodSeconds));
        var now = clock.GetUtcNow();
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % period.Ticks), TimeSpan.Zero);
        var query = new MetricDataQuery("success", new MetricStat(
            metric.Namespace,
            metric.MetricName,
            [.. metric.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new MetricDimension(d.Key, d.Value))],
            (int)period.TotalSeconds,
            metric.Stat));
        IReadOnlyList<MetricDataResult> results;
        try
        {
            results = await metrics.GetMetricDataAsync(string.IsNullOrWhiteSpace(metric.Region) ? estate.Regions[0].Code : metric.Region, end - (period * LookbackPeriods), end, [query], cancellationToken);
        }
        catch (EstateServiceException)
        {
            return null;
        }

        var newest = results
            .Where(r => r.Id == query.Id)
            .SelectMany(r => r.Timestamps.Zip(r.Values))
            .Where(p => double.IsFinite(p.Second))
            .OrderBy(p => p.First)
            .Select(p => (double?)p.Second)
            .LastOrDefault();
        return newest is { } value ? Math.Clamp(value / o.ClientSuccessFullScale, 0, 1) : null;
    }
}
