using AWorld.Core.Estate;

namespace AWorld.Core.Tests.Estate;

public class FaultSpecParserTests
{
    [Fact]
    public void Outage_WithStartAndDuration()
    {
        Assert.True(FaultSpecParser.TryParse("outage eu-west-1 at 00:30:00 for 00:20:00", EstateTopology.Default, out var spec, out _));

        Assert.Equal(new FaultSpec(FaultKind.Outage, "eu-west-1", Duration: TimeSpan.FromMinutes(20), Delay: TimeSpan.FromMinutes(30)), spec);
    }

    [Fact]
    public void BadDeploy_WithStartAndDuration_DefaultsToEveryWriteCorrupt()
    {
        Assert.True(FaultSpecParser.TryParse("bad-deploy eu-west-1 at 00:10:00 for 00:15:00", EstateTopology.Default, out var spec, out var error), error);

        Assert.Equal(new FaultSpec(FaultKind.BadDeploy, "eu-west-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromMinutes(10)), spec);
        Assert.Equal(1, spec.EffectiveMagnitude);
    }

    [Fact]
    public void BadDeploy_ShareAboveOne_IsRejectedWithTheRange()
    {
        Assert.False(FaultSpecParser.TryParse("bad-deploy eu-west-1 150%", EstateTopology.Default, out _, out var error));

        Assert.Contains("at most 1 (100%)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Partition_SplitsTheTwoRegionCodes()
    {
        Assert.True(FaultSpecParser.TryParse("partition eu-west-1-eu-central-1", EstateTopology.Default, out var spec, out _));

        Assert.Equal(("eu-west-1", "eu-central-1"), (spec.Region, spec.PeerRegion));
        Assert.Null(spec.Duration);
    }

    [Theory]
    [InlineData("latency eu-west-1 +800ms", FaultKind.Latency, 800)]
    [InlineData("latency eu-west-1 2s", FaultKind.Latency, 2000)]
    [InlineData("errors eu-central-1 30%", FaultKind.Errors, 0.3)]
    [InlineData("throttle eu-west-1 x25 client tenant-07", FaultKind.Throttle, 25)]
    [InlineData("flap eu-north-1 0.4", FaultKind.Flap, 0.4)]
    [InlineData("bad-deploy eu-west-1 25%", FaultKind.BadDeploy, 0.25)]
    public void Magnitudes_AreReadInTheirUnits(string text, FaultKind kind, double magnitude)
    {
        Assert.True(FaultSpecParser.TryParse(text, EstateTopology.Default, out var spec, out var error), error);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(magnitude, spec.EffectiveMagnitude, 9);
    }

    [Theory]
    [InlineData("meltdown eu-west-1", "unknown fault kind 'meltdown'")]
    [InlineData("outage mars-1", "region 'mars-1' is not in the estate")]
    [InlineData("partition eu-west-1", "partition target 'eu-west-1' must be two regions")]
    [InlineData("outage eu-west-1 at 30m", "'30m' after 'at' is not a time")]
    [InlineData("errors eu-west-1 150%", "rate 1.5 must be above 0 and at most 1")]
    [InlineData("outage eu-west-1 for", "'for' must be followed by a value")]
    [InlineData("outage", "needs at least a kind and a target")]
    public void BadSpecs_AreRejectedSayingWhatIsWrong(string text, string expected)
    {
        Assert.False(FaultSpecParser.TryParse(text, EstateTopology.Default, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
