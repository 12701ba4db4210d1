using AWorld.Core.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Composition;

public class AwsSettingsTests
{
    [Fact]
    public void MissingEstateKeys_AreEachNamed_WithWhereToFindThem()
    {
        using var services = Build(new()
        {
            ["Estate:Provider"] = "Aws",
            ["Estate:Regions:0:Code"] = "eu-west-1",
            ["Estate:Regions:1:Code"] = "eu-central-1",
            ["Estate:Regions:1:HealthCheckId"] = "hc-central",
            ["Estate:Dns:Records:0:Region"] = "eu-west-1",
            ["Estate:Dns:Records:0:Weight"] = "100",
            ["Estate:Dns:Records:1:Region"] = "eu-central-1",
            ["Estate:Dns:Records:1:Weight"] = "100",
        });

        var failures = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsEstateOptions>>().Value).Failures.ToList();

        Assert.Contains(failures, f => f.StartsWith("Estate:Dns:HostedZoneId is empty", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Regions:0:HealthCheckId is empty for eu-west-1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Dns:Records:0:SetIdentifier is empty for eu-west-1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Dns:Records:1:SetIdentifier is empty for eu-central-1", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("Regions:1:HealthCheckId", StringComparison.Ordinal));
    }

    [Fact]
    public void BadAwsSettings_AreEachNamed()
    {
        using var services = Build(new()
        {
            ["Estate:Aws:Endpoints:CloudWatch"] = "localhost:4566",
            ["Estate:Aws:AccessKeyId"] = "AKID",
            ["Estate:Aws:Route53RequestsPerSecond"] = "20",
            ["Estate:Aws:ReadRoleArn"] = "aworld-read",
            ["Estate:Aws:Fis:Enabled"] = "true",
            ["Estate:Aws:Scaling:us-west-2:Functions:0"] = "f",
        });

        var failures = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value).Failures.ToList();

        Assert.Contains(failures, f => f.StartsWith("Estate:Aws:Endpoints:CloudWatch is 'localhost:4566'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Aws:AccessKeyId and Estate:Aws:SecretAccessKey go together", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Aws:Route53RequestsPerSecond is 20", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Estate:Aws:ReadRoleArn is 'aworld-read'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("names region 'us-west-2'", StringComparison.Ordinal));
    }

    [Fact]
    public void PollingCost_OfTheDefaultEstate_IsStated()
    {
        using var services = Build([]);

        var cost = services.GetRequiredService<AwsPollingCost>();

        // 63 AWS series, read once a minute: 3 regions' metrics in their own regions, Route 53's in us-east-1 (4 query
        // regions, one request each); 6 canary series (2 a region) read every 5 s, 12 requests a minute a region.
        // Before CloudWatch time every series was read every second: 240 requests and 3,780 metrics a minute, $1,632.96 a month.
        Assert.Equal((69, 6, 4), (cost.Series, cost.HighResolutionSeries, cost.QueryRegions));
        Assert.Equal(4 + 36, cost.Metrics.RequestsPerMinute);
        Assert.Equal(63 + 72, cost.Metrics.MetricsPerMinute);
        // 135 metrics a minute x 43,200 minutes a month / 1,000 x $0.01.
        Assert.Equal(58.32m, cost.Metrics.MonthlyUsd);
        Assert.Contains("about $58.32 a month", cost.Describe(), StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddAWorldCore(configuration).AddAwsEstate(configuration).BuildServiceProvider();
    }
}
