using System.Collections.Immutable;

namespace AWorld.Core.Telemetry;

/// <summary>Ordered from best to worst, so that the worst of several verdicts is their maximum.</summary>
public enum HealthStatus
{
    Healthy,
    Degraded,
    Unhealthy,
    Unknown,
}

/// <summary>A region's health and the plain-language reasons that led to it.</summary>
public sealed record RegionHealth(HealthStatus Status, ImmutableArray<string> Reasons);

/// <summary>What the evaluator knows about one region: window aggregates from the series store and data ages.</summary>
public sealed record RegionSignals(
    double? Route53Status,
    double? Route53PercentHealthy,
    TimeSpan? Route53Age,
    TimeSpan? MetricsAge,
    double Requests,
    double Errors5xx,
    double Errors4xx,
    double LambdaThrottles,
    double DynamoThrottles,
    double LatencyP99Ms,
    string? SourceError);

/// <summary>
/// Judges a region from its signals. Route 53's verdict decides reachability; CloudWatch metrics decide how well it
/// serves; missing or stale data never passes for healthy. The worst verdict wins, and every rule that fired
/// leaves its reason.
/// </summary>
public static class RegionHealthEvaluator
{
    public static RegionHealth Evaluate(RegionSignals s, HealthThresholds t, TimeSpan staleAfter)
    {
        var status = HealthStatus.Healthy;
        var reasons = ImmutableArray.CreateBuilder<string>();
        var route53Fresh = s.Route53Age is { } ra && ra <= staleAfter;
        var metricsFresh = s.MetricsAge is { } ma && ma <= staleAfter;

        if (!route53Fresh && !metricsFresh)
        {
            reasons.Add(s.MetricsAge is null && s.Route53Age is null
                ? "No data received yet from CloudWatch or Route 53."
                : $"No current data: CloudWatch {Age(s.MetricsAge)}, Route 53 {Age(s.Route53Age)}.");
            if (s.SourceError is not null)
            {
                reasons.Add(s.SourceError);
            }

            return new RegionHealth(HealthStatus.Unknown, reasons.ToImmutable());
        }

        if (route53Fresh)
        {
            var pct = s.Route53PercentHealthy ?? 0;
            if (s.Route53Status is < 0.5)
            {
                Worsen(HealthStatus.Unhealthy, $"Route 53 reports the endpoint unhealthy: {pct:0}% of checkers see it healthy (more than 18% needed).");
            }
            else if (pct < t.CheckersHealthyDegradedPercent)
            {
                Worsen(HealthStatus.Degraded, $"Only {pct:0}% of Route 53 checkers see the endpoint healthy.");
            }
        }
        else
        {
            Worsen(HealthStatus.Degraded, $"Route 53 status is stale ({Age(s.Route53Age)}).");
        }

        if (!metricsFresh)
        {
            Worsen(HealthStatus.Degraded, $"CloudWatch metrics are stale ({Age(s.MetricsAge)}){(s.SourceError is null ? "" : ": " + s.SourceError.TrimEnd('.'))}.");
        }
        else if (s.Requests > 0)
        {
            var errorRate = s.Errors5xx / s.Requests;
            if (errorRate >= t.ErrorRateUnhealthy)
            {
                Worsen(HealthStatus.Unhealthy, $"5xx error rate {errorRate * 100:0.0}% is at or above {t.ErrorRateUnhealthy  * 100:0}%.");
            }
            else if (errorRate >= t.ErrorRateDegraded)
            {
                Worsen(HealthStatus.Degraded, $"5xx error rate {errorRate * 100:0.0}% is at or above {t.ErrorRateDegraded  * 100:0}%.");
            }

            if (s.LatencyP99Ms >= t.LatencyP99UnhealthyMs)
            {
                Worsen(HealthStatus.Unhealthy, $"p99 latency {s.LatencyP99Ms:0} ms is at or above {t.LatencyP99UnhealthyMs:0} ms.");
            }
            else if (s.LatencyP99Ms >= t.LatencyP99DegradedMs)
            {
                Worsen(HealthStatus.Degraded, $"p99 latency {s.LatencyP99Ms:0} ms is at or above {t.LatencyP99DegradedMs:0} ms.");
            }

            var clientErrorRate = s.Errors4xx / s.Requests;
            if (clientErrorRate >= t.ClientErrorRateDegraded)
            {
                Worsen(HealthStatus.Degraded, $"4xx rate {clientErrorRate * 100:0.0}% is at or above {t.ClientErrorRateDegraded  * 100:0}% (clients rejected or throttled with 429).");
            }

            var throttleRate = (s.LambdaThrottles + s.DynamoThrottles) / s.Requests;
            if (throttleRate >= t.ThrottleRateDegraded)
            {
                Worsen(HealthStatus.Degraded, $"{throttleRate * 100:0.0}% of requests throttled by Lambda or DynamoDB.");
            }
        }

        if (reasons.Count == 0)
        {
            var errorRate = s.Requests > 0 ? s.Errors5xx / s.Requests : 0;
            reasons.Add($"Route 53 healthy ({s.Route53PercentHealthy ?? 0:0}% of checkers); 5xx {errorRate * 100:0.00}%; p99 {s.LatencyP99Ms:0} ms.");
        }

        return new RegionHealth(status, reasons.ToImmutable());

        void Worsen(HealthStatus candidate, string reason)
        {
            status = (HealthStatus)Math.Max((int)status, (int)candidate);
            reasons.Add(reason);
        }

        static string Age(TimeSpan? age) => age is { } a ? $"last data {a.TotalSeconds:0} s ago" : "no data yet";
    }
}
