using AWorld.Aws.Data;
using AWorld.Aws.Telemetry;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// The engine's traffic and health ports and the clients' success, as the telemetry adapters would answer them:
/// set what they say, count how often they are asked, or make them fail the way an AWS call fails.
/// </summary>
internal sealed class FakePorts : ITrafficObserver, ITrafficRouter, IHealthSource, IClientSuccessSource
{
    public Dictionary<string, double> Shares { get; } = new(StringComparer.Ordinal);

    public List<TrafficRecord> Records { get; } = [];

    /// <summary>Per health check id, whether each checker's last probe succeeded.</summary>
    public Dictionary<string, bool[]> Checkers { get; } = new(StringComparer.Ordinal);

    public double? Success { get; set; }

    public bool Failing { get; set; }

    public int CloudWatchCalls { get; private set; }

    public int Route53Calls { get; private set; }

    public Task<double> SentShareAsync(string region, CancellationToken cancellationToken)
    {
        CloudWatchCalls++;
        ThrowIfFailing("CloudWatch", region);
        return Task.FromResult(Shares.GetValueOrDefault(region));
    }

    public Task<IReadOnlyList<TrafficRecord>> ListRecordsAsync(CancellationToken cancellationToken)
    {
        Route53Calls++;
        ThrowIfFailing("Route53", "global");
        return Task.FromResult<IReadOnlyList<TrafficRecord>>([.. Records]);
    }

    public Task<ChangeInfo> ChangeWeightsAsync(IReadOnlyList<WeightChange> changes, string comment, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The ground truth never changes weights.");

    public Task<ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The ground truth never reads changes.");

    public Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        Route53Calls++;
        ThrowIfFailing("Route53", "global");
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        return Task.FromResult<IReadOnlyList<HealthCheckObservation>>(
            [.. Checkers.GetValueOrDefault(healthCheckId, []).Select((ok, i) => new HealthCheckObservation($"checker-{i}", $"10.0.0.{i}", at, ok, ok ? "Success: HTTP Status Code 200, OK" : "Failure: Connection timed out"))]);
    }

    public Task<double?> SuccessRatioAsync(CancellationToken cancellationToken)
    {
        CloudWatchCalls++;
        ThrowIfFailing("CloudWatch", "eu-west-1");
        return Task.FromResult(Success);
    }

    private void ThrowIfFailing(string service, string region)
    {
        if (Failing)
        {
            throw new EstateServiceException(service, region, "ServiceUnavailable", "The service does not answer.");
        }
    }
}

/// <summary>CloudWatch as the telemetry adapter's client answers: the requests it was asked, and the results it is given.</summary>
internal sealed class FakeCloudWatchMetrics : ICloudWatchMetrics
{
    public List<(string Region, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<MetricDataQuery> Queries)> Requests { get; } = [];

    public Func<MetricDataQuery, MetricDataResult> Answer { get; set; } = q => new MetricDataResult(q.Id, [], [], MetricDataStatus.Complete);

    public bool Failing { get; set; }

    public Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, CancellationToken cancellationToken)
    {
        Requests.Add((region, start, end, queries));
        if (Failing)
        {
            throw new EstateServiceException("CloudWatch", region, "AccessDenied", "Not authorized. (cloudwatch:GetMetricData)");
        }

        return Task.FromResult<IReadOnlyList<MetricDataResult>>([.. queries.Select(Answer)]);
    }
}
