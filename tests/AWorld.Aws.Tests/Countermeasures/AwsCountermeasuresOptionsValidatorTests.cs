using AWorld.Aws.Countermeasures;

namespace AWorld.Aws.Tests.Countermeasures;

public sealed class AwsCountermeasuresOptionsValidatorTests
{
    [Fact]
    public void CompleteOptions_AreValid()
    {
        Assert.Empty(AwsCountermeasuresOptionsValidator.Check(Valid()));
        Assert.Empty(AwsCountermeasuresOptionsValidator.Check(new AwsOptions()));
    }

    [Fact]
    public void Throttling_EveryRuleNamesItsKey()
    {
        var options = Valid();
        var t = options.Throttling["eu-west-1"];
        t.RestrictedUsagePlanId = t.DefaultUsagePlanId;
        t.Clients = ["tenant-01", "tenant-01", " "];
        t.ClientRateMetric.Stat = "Average";
        t.ClientRateMetric.Dimensions = new() { ["Client"] = "tenant-01" };
        t.ClientRateMetric.PeriodSeconds = 90;
        t.RateWindow = TimeSpan.FromSeconds(30);
        options.Throttling["eu-west"] = t;

        var errors = AwsCountermeasuresOptionsValidator.Check(options);

        const string k = "Estate:Aws:Throttling:eu-west-1";
        Assert.Contains(errors, e => e.StartsWith($"{k}:RestrictedUsagePlanId is the default plan 'plan1' too.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:Clients:1 'tenant-01' appears twice.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:Clients:2 is ' '.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:ClientRateMetric:Stat is 'Average'. Use Sum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:ClientRateMetric:Dimensions has no value with {{client}}", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:ClientRateMetric:PeriodSeconds is 90.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{k}:RateWindow is 00:00:30, shorter than the metric's period", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Throttling:eu-west: 'eu-west' is not an AWS region code.", StringComparison.Ordinal));
    }

    [Fact]
    public void ScalingAndFis_EveryRuleNamesItsKey()
    {
        var options = Valid();
        options.Scaling["eu-west-1"].Functions = ["aworld api"];
        options.Scaling["eu-west-1"].BaselineConcurrency = 0;
        options.Fis.Templates["meteor"] = new() { ["eu-west-1"] = "EXT1" };
        options.Fis.Templates["outage"]["eu-central-1"] = "";
        options.Fis.RefreshInterval = TimeSpan.FromSeconds(-1);

        var errors = AwsCountermeasuresOptionsValidator.Check(options);

        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Scaling:eu-west-1:Functions:0 is 'aworld api'. Set a Lambda function name or ARN.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Scaling:eu-west-1:BaselineConcurrency is 0.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Fis:Templates:meteor is not a fault kind.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Fis:Templates:outage:eu-central-1 is ''.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Estate:Aws:Fis:RefreshInterval is -00:00:01.", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    private static AwsOptions Valid() => new()
    {
        Throttling = new()
        {
            ["eu-west-1"] = new AwsThrottlingOptions
            {
                RestApiId = "a1b2c3",
                DefaultUsagePlanId = "plan1",
                RestrictedUsagePlanId = "plan2",
                Clients = ["tenant-01", "tenant-02"],
                ClientRateMetric = new() { Namespace = "AWorld/Clients", MetricName = "Requests", Stat = "Sum", Dimensions = new() { ["Client"] = "{client}" } },
            },
        },
        Scaling = new() { ["eu-west-1"] = new AwsScalingOptions { Functions = ["aworld-api-handler", "arn:aws:lambda:eu-west-1:123456789012:function:aworld-worker"] } },
        Fis = new AwsFisOptions
        {
            Enabled = true,
            Templates = new() { ["outage"] = new() { ["eu-west-1"] = "EXTout1" }, ["bad-deploy"] = new() { ["eu-west-1"] = "EXTbad1" } },
        },
    };
}
