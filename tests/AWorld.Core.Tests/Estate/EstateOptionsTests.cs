using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;
using AWorld.Twin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Tests.Estate;

public class EstateOptionsTests
{
    [Fact]
    public void Default_IsTwoActiveRegionsAndAStockholmBackup()
    {
        var estate = EstateTopology.Default;

        Assert.Equal(["eu-west-1", "eu-central-1", "eu-north-1"], estate.Regions.Select(r => r.Code));
        Assert.Equal([RegionRole.Active, RegionRole.Active, RegionRole.Backup], estate.Regions.Select(r => r.Role));
        Assert.Equal(TimeSpan.FromHours(24), estate.Objectives.Rto);
        Assert.Equal(TimeSpan.FromHours(1), estate.Objectives.Rpo);
        Assert.All(estate.HealthChecks, h => Assert.Equal((30, 3, 8), (h.RequestIntervalSeconds, h.FailureThreshold, h.CheckerLocations.Length)));
        Assert.Equal([100, 100, 0], estate.Dns.Records.Select(r => r.Weight));
        Assert.All(estate.Tables, t => Assert.Equal(3, t.Replicas.Length));
    }

    [Theory]
    [InlineData("Estate:HealthChecks:RequestIntervalSeconds", "20", "Estate:HealthChecks:RequestIntervalSeconds is 20")]
    [InlineData("Estate:HealthChecks:FailureThreshold", "11", "Estate:HealthChecks:FailureThreshold is 11")]
    [InlineData("Estate:Dns:TtlSeconds", "-1", "Estate:Dns:TtlSeconds is -1")]
    [InlineData("Estate:Tables:0:PitrRecoveryPeriodDays", "36", "Estate:Tables:0:PitrRecoveryPeriodDays is 36")]
    [InlineData("Estate:Regions:0:Code", "Ireland", "Estate:Regions:0:Code is 'Ireland'")]
    [InlineData("Estate:HealthChecks:CheckerLocations:0", "eu-north-1", "Estate:HealthChecks:CheckerLocations:0 is 'eu-north-1'")]
    [InlineData("Estate:RecoveryObjectives:Rpo", "00:00:00", "Estate:RecoveryObjectives:Rpo is 00:00:00")]
    public void InvalidValue_StopsStartup_WithAnErrorNamingTheKey(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Estate:Tables:0", StringComparison.Ordinal))
        {
            settings["Estate:Tables:0:Name"] = "orders";
        }

        if (key.StartsWith("Estate:Regions:0", StringComparison.Ordinal))
        {
            settings["Estate:Regions:1:Code"] = "eu-central-1";
        }

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var options = new EstateOptions
        {
            HealthChecks = new HealthCheckOptions { RequestIntervalSeconds = 15, FailureThreshold = 0 },
            Dns = new DnsOptions { TtlSeconds = -5 },
        };

        var errors = EstateOptionsValidator.Check(EstateDefaults.Apply(options));

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void ConfiguredRegions_ReplaceTheDefaultList()
    {
        var estate = Resolve(new Dictionary<string, string?>
        {
            ["Estate:Regions:0:Code"] = "us-east-1",
            ["Estate:Regions:1:Code"] = "us-west-2",
            ["Estate:Regions:1:Role"] = "Backup",
            ["Estate:Dns:TtlSeconds"] = "30",
        });

        Assert.Equal(["us-east-1", "us-west-2"], estate.Regions.Select(r => r.Code));
        Assert.Equal(30, estate.Dns.TtlSeconds);
        Assert.All(estate.Tables, t => Assert.Equal(["us-east-1", "us-west-2"], t.Replicas.ToArray()));
    }

    [Fact]
    public void Replica_InARegionOutsideTheEstate_IsRejected()
    {
        var options = EstateDefaults.Apply(new EstateOptions { Tables = [new GlobalTableOptions { Name = "orders", Replicas = ["eu-west-1", "ap-south-1"] }] });

        var errors = EstateOptionsValidator.Check(options);

        Assert.Contains(errors, e => e.Contains("Estate:Tables:0:Replicas:1 is 'ap-south-1'", StringComparison.Ordinal));
    }

    [Fact]
    public void FailoverRouting_NeedsOnePrimaryAndOneSecondary()
    {
        var options = EstateDefaults.Apply(new EstateOptions
        {
            Dns = new DnsOptions
            {
                RoutingPolicy = DnsRoutingPolicy.Failover,
                Records = [new DnsRecordOptions { Region = "eu-west-1", FailoverRole = FailoverRole.Primary }, new DnsRecordOptions { Region = "eu-central-1", FailoverRole = FailoverRole.Primary }],
            },
        });

        var errors = EstateOptionsValidator.Check(options);

        Assert.Contains(errors, e => e.StartsWith("Estate:Dns:Records has 2 primary and 0 secondary", StringComparison.Ordinal));
    }

    [Fact]
    public void WeightedRouting_WithEveryWeightZero_IsRejected()
    {
        var options = EstateDefaults.Apply(new EstateOptions { Dns = new DnsOptions { Records = [new DnsRecordOptions { Region = "eu-west-1", Weight = 0 }] } });

        Assert.Contains(EstateOptionsValidator.Check(options), e => e.Contains("every record weight 0", StringComparison.Ordinal));
    }

    private static EstateTopology Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddAWorldCore(configuration).AddTwinEstate(configuration).BuildServiceProvider();
        return services.GetRequiredService<EstateTopology>();
    }
}
