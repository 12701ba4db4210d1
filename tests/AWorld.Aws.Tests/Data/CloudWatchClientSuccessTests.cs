using AWorld.Aws.Data;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Aws.Tests.Data;

public sealed class CloudWatchClientSuccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 42, TimeSpan.Zero);

    private readonly FakeCloudWatchMetrics _metrics = new();

    [Fact]
    public async Task Success_IsTheNewestDatapointOfTheConfiguredMetric_OverItsFullScale()
    {
        _metrics.Answer = q => new MetricDataResult(q.Id, [Now.AddMinutes(-3), Now.AddMinutes(-2), Now.AddMinutes(-4)], [100, 97.5, 50], MetricDataStatus.Complete);

        var ratio = await Source(Synthetics()).SuccessRatioAsync(CancellationToken.None);

        Assert.Equal(0.975, ratio);
        var (region, start, end, queries) = Assert.Single(_metrics.Requests);
        Assert.Equal("eu-central-1", region);
        // Whole periods before the present, five of them: standard metrics arrive minutes late.
        Assert.Equal((new DateTimeOffset(2026, 3, 2, 8, 55, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)), (start, end));
        var stat = Assert.Single(queries).MetricStat;
        Assert.Equal(("CloudWatchSynthetics", "SuccessPercent", 60, "Average"), (stat.Namespace, stat.MetricName, stat.PeriodSeconds, stat.Stat));
        Assert.Equal(new MetricDimension("CanaryName", "aworld-clients"), Assert.Single(stat.Dimensions));
    }

    [Fact]
    public async Task Success_WithoutAMetricConfigured_IsUnknown_AndCloudWatchIsNotAsked()
    {
        Assert.Null(await Source(new AwsOptions()).SuccessRatioAsync(CancellationToken.None));
        Assert.Empty(_metrics.Requests);
    }

    [Fact]
    public async Task Success_WithoutData_OrWhenCloudWatchRefuses_IsUnknown()
    {
        Assert.Null(await Source(Synthetics()).SuccessRatioAsync(CancellationToken.None));
        _metrics.Failing = true;
        Assert.Null(await Source(Synthetics()).SuccessRatioAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Success_OfARatioMetric_IsClampedToOne_AndReadInTheEstatesFirstRegionByDefault()
    {
        var options = Synthetics();
        (options.ClientSuccessFullScale, options.ClientSuccessMetric!.Region) = (1, "");
        _metrics.Answer = q => new MetricDataResult(q.Id, [Now.AddMinutes(-2)], [1.02], MetricDataStatus.PartialData);

        Assert.Equal(1, await Source(options).SuccessRatioAsync(CancellationToken.None));
        Assert.Equal(EstateTopology.Default.Regions[0].Code, _metrics.Requests.Single().Region);
    }

    private CloudWatchClientSuccess Source(AwsOptions options) =>
        new(_metrics, Options.Create(options), EstateTopology.Default, new FakeTimeProvider(Now));

    private static AwsOptions Synthetics() => new()
    {
        ClientSuccessFullScale = 100,
        ClientSuccessMetric = new AwsMetricOptions
        {
            Namespace = "CloudWatchSynthetics",
            MetricName = "SuccessPercent",
            Dimensions = new() { ["CanaryName"] = "aworld-clients" },
            Region = "eu-central-1",
        },
    };
}
