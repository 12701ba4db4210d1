using AWorld.Core.Telemetry;

namespace AWorld.Core.Tests.Telemetry;

public class RegionHealthEvaluatorTests
{
    private static readonly HealthThresholds Thresholds = new();
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(20);

    private static readonly RegionSignals Normal = new(
        Route53Status: 1, Route53PercentHealthy: 100, Route53Overdue: TimeSpan.Zero, MetricsOverdue: TimeSpan.Zero,
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
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsOverdue = TimeSpan.FromSeconds(45), SourceError = "CloudWatch in eu-west-1: ServiceUnavailable." }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(health.Reasons, r => r.Contains("45 s later than expected", StringComparison.Ordinal) && r.Contains("ServiceUnavailable", StringComparison.Ordinal));
    }

    [Fact]
    public void NothingCurrent_IsUnknown_SayingHowLateTheDataIs()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsOverdue = TimeSpan.FromMinutes(2), Route53Overdue = TimeSpan.FromMinutes(3) }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unknown, health.Status);
        Assert.Contains("CloudWatch 120 s later than expected, Route 53 180 s later than expected", health.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NoDataYet_IsUnknown()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsOverdue = null, Route53Overdue = null }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unknown, health.Status);
        Assert.Equal("Waiting for the first data from CloudWatch and Route 53.", health.Reasons[0]);
    }

    [Fact]
    public void MetricsNotDueYet_AreNotHeldAgainstAHealthyRegion()
    {
        // Against CloudWatch the first minutes arrive minutes after start: Route 53 and the canary decide until then.
        var health = RegionHealthEvaluator.Evaluate(Normal with { MetricsOverdue = null, Requests = 0, Errors5xx = 0, CanarySuccess = 1, CanaryOverdue = TimeSpan.Zero }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal("Route 53 healthy (100% of checkers); canary 100% writes succeeding; CloudWatch's first minutes not in yet.", Assert.Single(health.Reasons));
    }

    [Theory]
    [InlineData(0.2, HealthStatus.Unhealthy, "Canary writes failing: 20% succeeded (at least 50% needed).")]
    [InlineData(0.8, HealthStatus.Degraded, "Only 80% of canary writes succeeded (below 90%).")]
    public void FailingCanary_IsTheRegionsOwnFastSignal(double success, HealthStatus expected, string reason)
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { CanarySuccess = success, CanaryOverdue = TimeSpan.Zero }, Thresholds, StaleAfter);

        Assert.Equal(expected, health.Status);
        Assert.Contains(reason, health.Reasons);
    }

    [Fact]
    public void QuietCanary_Degrades_OnlyOnceOverdue()
    {
        var onTime = RegionHealthEvaluator.Evaluate(Normal with { CanarySuccess = 1, CanaryOverdue = TimeSpan.FromSeconds(19) }, Thresholds, StaleAfter);
        var late = RegionHealthEvaluator.Evaluate(Normal with { CanarySuccess = 1, CanaryOverdue = TimeSpan.FromSeconds(25) }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Healthy, onTime.Status);
        Assert.Equal(HealthStatus.Degraded, late.Status);
        Assert.Contains("The canary is 25 s later than expected.", late.Reasons);
    }

    [Fact]
    public void SeveralProblems_TheWorstWins_AndEachLeavesItsReason()
    {
        var health = RegionHealthEvaluator.Evaluate(Normal with { Route53Status = 0, Route53PercentHealthy = 0, LatencyP99Ms = 1200, Errors4xx = 9000 }, Thresholds, StaleAfter);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(3, health.Reasons.Length);
    }
}
