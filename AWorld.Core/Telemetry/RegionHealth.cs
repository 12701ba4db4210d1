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

/// <summary>
/// What the evaluator knows about one region: aggregates of its newest complete periods and how overdue each source
/// is. An overdue of null means nothing is expected yet (the source has not reported and its first data is not due);
/// zero means on time; more than the stale limit means the source is late and no longer counts as current. The
/// canary's values are null for an estate without canaries.
/// </summary>
public sealed record RegionSignals(
    double? Route53Status,
    double? Route53PercentHealthy,
    TimeSpan? Route53Overdue,
    TimeSpan? MetricsOverdue,
    double Requests,
    double Errors5xx,
    double Errors4xx,
    double LambdaThrottles,
    double DynamoThrottles,
    double LatencyP99Ms,
    string? SourceError,
    double? CanarySuccess = null,
    TimeSpan? CanaryOverdue = null);

/// <summary>
/// Judges a region from its signals. Route 53's verdict decides reachability and the canaries whether the region
/// takes writes, both within seconds; CloudWatch's complete minutes decide how well it serves. Late data never passes
/// for healthy, but data that is merely not due yet is not held against the region. The worst verdict wins, and every
/// rule that fired leaves its reason.
/// </summary>
public static class RegionHealthEvaluator
{
    public static RegionHealth Evaluate(RegionSignals s, HealthThresholds t, TimeSpan staleAfter)
    {
        var status = HealthStatus.Healthy;
        var reasons = ImmutableArray.CreateBuilder<string>();
        var route53Fresh = s.Route53Overdue is { } ra && ra <= staleAfter && s.Route53Status is not null;
        var metricsFresh = s.MetricsOverdue is { } ma && ma <= staleAfter;
        var canaryFresh = s.CanaryOverdue is { } ca && ca <= staleAfter && s.CanarySuccess is not null;

        if (!route53Fresh && !metricsFresh && !canaryFresh)
        {
            reasons.Add(s.MetricsOverdue is null && s.Route53Overdue is null && s.CanaryOverdue is null
                ? "Waiting for the first data from CloudWatch and Route 53."
                : $"No current data: CloudWatch {Late(s.MetricsOverdue)}, Route 53 {Late(s.Route53Overdue)}{(s.CanaryOverdue is null ? "" : $", canary {Late(s.CanaryOverdue)}")}.");
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
        else if (s.Route53Overdue is not null)
        {
            Worsen(HealthStatus.Degraded, $"Route 53 health checks are {Late(s.Route53Overdue)}.");
        }

        if (canaryFresh)
        {
            var success = s.CanarySuccess!.Value;
            if (success < t.CanarySuccessUnhealthy)
            {
                Worsen(HealthStatus.Unhealthy, $"Canary writes failing: {success * 100:0}% succeeded (at least {t.CanarySuccessUnhealthy * 100:0}% needed).");
            }
            else if (success < t.CanarySuccessDegraded)
            {
                Worsen(HealthStatus.Degraded, $"Only {success * 100:0}% of canary writes succeeded (below {t.CanarySuccessDegraded * 100:0}%).");
            }
        }
        else if (s.CanaryOverdue is not null)
        {
            Worsen(HealthStatus.Degraded, $"The canary is {Late(s.CanaryOverdue)}.");
        }

        if (!metricsFresh)
        {
            if (s.MetricsOverdue is not null)
            {
                Worsen(HealthStatus.Degraded, $"CloudWatch metrics are {Late(s.MetricsOverdue)}{(s.SourceError is null ? "" : ": " + s.SourceError.TrimEnd('.'))}.");
            }
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
            var parts = new List<string>(3);
            if (route53Fresh)
            {
                parts.Add($"Route 53 healthy ({s.Route53PercentHealthy ?? 0:0}% of checkers)");
            }

            if (canaryFresh)
            {
                parts.Add($"canary {s.CanarySuccess * 100:0}% writes succeeding");
            }

            parts.Add(metricsFresh && s.Requests > 0
                ? $"5xx {s.Errors5xx / s.Requests * 100:0.00}%; p99 {s.LatencyP99Ms:0} ms"
                : "CloudWatch's first minutes not in yet");
            reasons.Add(string.Join("; ", parts) + ".");
        }

        return new RegionHealth(status, reasons.ToImmutable());

        void Worsen(HealthStatus candidate, string reason)
        {
            status = (HealthStatus)Math.Max((int)status, (int)candidate);
            reasons.Add(reason);
        }

        static string Late(TimeSpan? overdue) => overdue is { } o ? $"{o.TotalSeconds:0} s later than expected" : "not due yet";
    }
}
