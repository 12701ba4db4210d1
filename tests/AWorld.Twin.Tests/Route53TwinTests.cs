using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

public class Route53TwinTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Outage_TurnsThirtySecondThresholdThreeCheckUnhealthy_AfterTwoToFourIntervals(long seed)
    {
        var twin = Twins.Create(seed);
        twin.Run(TimeSpan.FromMinutes(5));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        var detected = twin.StepUntil(t => !t.Region("eu-west-1").Route53Healthy, TimeSpan.FromMinutes(10));

        Assert.NotNull(detected);
        Assert.InRange(detected!.Value, 2 * 30, 4 * 30);
    }

    [Fact]
    public void FastInterval_DetectsSoonerThanStandard()
    {
        var twin = Twins.Create(3, e => e.HealthChecks.RequestIntervalSeconds = 10);
        twin.Run(TimeSpan.FromMinutes(2));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));

        var detected = twin.StepUntil(t => !t.Region("eu-central-1").Route53Healthy, TimeSpan.FromMinutes(5));

        Assert.InRange(detected!.Value, 2 * 10, 4 * 10);
    }

    [Fact]
    public void Endpoint_IsHealthyExactlyWhileMoreThanEighteenPercentOfCheckersSeeItHealthy()
    {
        var twin = Twins.Create(11);
        twin.Run(TimeSpan.FromMinutes(2));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"), "test");
        var sawTwoOfEightHealthy = false;

        for (var s = 0; s < 200; s++)
        {
            twin.Step();
            var views = twin.CheckerViews("eu-west-1");
            var healthyShare = views.Count(v => v) / (double)views.Length;
            Assert.Equal(healthyShare > 0.18, twin.Truth().Region("eu-west-1").Route53Healthy);
            sawTwoOfEightHealthy |= views.Count(v => v) == 2;
        }

        // 2 of 8 (25%) kept the endpoint healthy on the way down; 1 of 8 (12.5%) did not.
        Assert.True(sawTwoOfEightHealthy);
        Assert.False(twin.Truth().Region("eu-west-1").Route53Healthy);
    }

    [Fact]
    public void WithFiveCheckers_OneHealthyCheckerOfFive_KeepsTheEndpointHealthy()
    {
        // 1 of 5 is 20%, which is more than 18%: Route 53 still calls the endpoint healthy.
        var twin = Twins.Create(5, e => e.HealthChecks.CheckerLocations = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1", "sa-east-1"]);
        twin.Run(TimeSpan.FromMinutes(1));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-north-1"));
        var sawOneOfFive = false;

        for (var s = 0; s < 200; s++)
        {
            twin.Step();
            var healthy = twin.CheckerViews("eu-north-1").Count(v => v);
            if (healthy == 1)
            {
                sawOneOfFive = true;
                Assert.True(twin.Truth().Region("eu-north-1").Route53Healthy);
            }

            if (healthy == 0)
            {
                Assert.False(twin.Truth().Region("eu-north-1").Route53Healthy);
            }
        }

        Assert.True(sawOneOfFive);
    }

    [Fact]
    public void AfterOutageEnds_EndpointRecoversAfterThresholdSuccessfulProbes()
    {
        var twin = Twins.Create(9);
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1", Duration: TimeSpan.FromMinutes(5)));
        twin.Run(TimeSpan.FromMinutes(5));
        Assert.False(twin.Truth().Region("eu-west-1").Route53Healthy);

        var recovered = twin.StepUntil(t => t.Region("eu-west-1").Route53Healthy, TimeSpan.FromMinutes(5));

        // A checker needs three successes in a row; the endpoint needs two of eight checkers back.
        Assert.InRange(recovered!.Value, 2 * 30, 3 * 30);
    }

    [Fact]
    public async Task Observations_ReportEachCheckerLocationsLastProbe()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(1));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        twin.Run(TimeSpan.FromSeconds(31));

        var observations = await ((AWorld.Core.Telemetry.IHealthSource)twin).GetHealthCheckStatusAsync("hc-eu-west-1", CancellationToken.None);

        Assert.Equal(EstateDefaults.Route53CheckerRegions.OrderBy(x => x), observations.Select(o => o.CheckerRegion).OrderBy(x => x));
        Assert.All(observations, o => Assert.False(o.Success));
        Assert.All(observations, o => Assert.StartsWith("Failure: Connection timed out", o.StatusReport, StringComparison.Ordinal));
    }

    [Fact]
    public void Flapping_MakesCheckersDisagree()
    {
        var twin = Twins.Create(4);
        twin.Inject(new FaultSpec(FaultKind.Flap, "eu-central-1", Magnitude: 0.6));
        var minPercent = 100.0;
        for (var s = 0; s < 1800; s++)
        {
            twin.Step();
            minPercent = Math.Min(minPercent, twin.Truth().Region("eu-central-1").Route53PercentHealthy);
        }

        Assert.True(minPercent < 100, "some checkers should have turned unhealthy");
    }
}
