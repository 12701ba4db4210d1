using AWorld.Aws.Telemetry;
using AWorld.Core.Telemetry;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// Stands in for the CloudWatch client (another engineer's): answers each query with the series the test set for the
/// value of a dimension (a client's name, say), and records every call.
/// </summary>
public sealed class ScriptedCloudWatchSeries : ICloudWatchMetrics
{
    private readonly Dictionary<string, Func<DateTimeOffset, double?>> _series = new(StringComparer.Ordinal);

    public List<(string Region, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<MetricDataQuery> Queries)> Calls { get; } = [];

    /// <summary>The series of queries with a dimension of this value: a value for each period's start, or null for no data.</summary>
    public void Set(string dimensionValue, Func<DateTimeOffset, double?> valueAt) => _series[dimensionValue] = valueAt;

    public Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, CancellationToken cancellationToken)
    {
        Calls.Add((region, start, end, queries));
        var results = queries.Select(q =>
        {
            var series = q.MetricStat.Dimensions.Select(d => _series.GetValueOrDefault(d.Value)).FirstOrDefault(s => s is not null);
            var points = new List<(DateTimeOffset At, double Value)>();
            for (var at = start; at < end && series is not null; at = at.AddSeconds(q.MetricStat.PeriodSeconds))
            {
                if (series(at) is { } value)
                {
                    points.Add((at, value));
                }
            }

            return new MetricDataResult(q.Id, [.. points.Select(p => p.At)], [.. points.Select(p => p.Value)], MetricDataStatus.Complete);
        });
        return Task.FromResult<IReadOnlyList<MetricDataResult>>([.. results]);
    }
}
