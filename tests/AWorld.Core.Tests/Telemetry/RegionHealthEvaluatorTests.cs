using AWorld.Core.Telemetry;

namespace AWorld.Core.Tests.Telemetry;

public class RegionHealthEvaluatorTests
{
    private static readonly HealthThresholds Thresholds = new();
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(20);

    private static readonly RegionSignals Normal = new(
        Route53Status: 1, Route53PercentHealthy: 100, Route53Age: TimeSpan.FromSeconds(1), MetricsAge: TimeSpan.FromSeconds(1),
        Requests: 30_000, Errors5xx: 20, Errors4xx: 300, LambdaThrottles: 0, DynamoThrottles: 0, LatencyP99Ms: 180, SourceError: null);

    [Fact]
    public void NormalSignals_AreHealthy_WithAReasonSummarisingThem()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains("Route 53 healthy (100% of checkers)", Assert.Single(health.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Route53Unhealthy_IsUnhealthy_NamingTheEighteenPercentRule()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { Route53Status = 0, Route53PercentHealthy = 12.5 }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains(health.Reasons, r => r.Contains("13% of checkers see it healthy (more than 18% needed)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(900, HealthStatus.Degraded)]
    [InlineData(6000, HealthStatus.Unhealthy)]
    public void FiveHundreds_DegradeThenFailTheRegion(double errors, HealthStatus expected)
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { Errors5xx = errors }, Thresholds, StaleAfter);

        Assert.Equal(expected, health.Status);
        Assert.Contains(health.Reasons, r => r.StartsWith("5xx error rate", StringComparison.Ordinal));
    }

    [Fact]
    public void SlowTail_Degrades()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { LatencyP99Ms = 1500 }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Degraded, health.Status);
    }

    [Fact]
    public void StaleMetrics_WithRoute53StillHealthy_AreDegradedNotHealthy()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsAge = TimeSpan.FromSeconds(45), SourceError = "CloudWatch in eu-west-1: ServiceUnavailable." }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(health.Reasons, r => r.Contains("last data 45 s ago", StringComparison.Ordinal) && r.Contains("ServiceUnavailable", StringComparison.Ordinal));
    }

    [Fact]
    public void NothingCurrent_IsUnknown_SayingHowOldTheDataIs()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsAge = TimeSpan.FromMinutes(2), Route53Age = TimeSpan.FromMinutes(3) }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unknown, health.Status);
        Assert.Contains("CloudWatch last data 120 s ago, Route 53 last data 180 s ago", health.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NoDataYet_IsUnknown()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsAge = null, Route53Age = null }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unknown, health.Status);
        Assert.Equal("No data received yet from CloudWatch or Route 53.", health.Reasons[0]);
    }

    [Fact]
    public void SeveralProblems_TheWorstWins_AndEachLeavesItsReason()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { Route53Status = 0, Route53PercentHealthy = 0, LatencyP99Ms = 1200, Errors4xx = 9000 }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(3, health.Reasons.Length);
    }
}
