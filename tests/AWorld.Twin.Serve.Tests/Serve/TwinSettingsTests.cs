using System.Text;
using AWorld.Aws;
using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>The settings a served twin writes bind to the AWS adapters' options and describe the twin's estate and resources.</summary>
public sealed class TwinSettingsTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:4566");

    private readonly EstateTopology _estate = EstateTopology.Default;
    private readonly TwinIdentifiers _ids = new(EstateTopology.Default);
    private readonly IConfiguration _configuration;

    public TwinSettingsTests()
    {
        var json = TwinSettings.Build(_estate, _ids, Endpoint, 1000).ToJsonString();
        _configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
    }

    [Fact]
    public void Settings_BindToAwsOptions_WithEveryServiceAtTheOneEndpointAndTheDocumentedKeys()
    {
        var aws = _configuration.GetSection(AwsOptions.SectionName).Get<AwsOptions>()!;

        Assert.Equal(Enum.GetValues<AwsService>().Order(), aws.Endpoints.Keys.Order());
        Assert.All(aws.Endpoints.Values, url => Assert.Equal("http://127.0.0.1:4566", url));
        Assert.Equal((TwinCredentials.AccessKeyId, TwinCredentials.SecretAccessKey), (aws.AccessKeyId, aws.SecretAccessKey));
        Assert.True(aws.AllowWrites);
        Assert.Equal(("aworld-api", "aworld-api-handler", "aworld-cache"), (aws.Resources.ApiName, aws.Resources.FunctionName, aws.Resources.CacheClusterName));
        Assert.Equal("/aworld/{table}/{region}/active-table", aws.TableRoutingParameter);
        Assert.Equal((true, "aworld-players", "pk"), (aws.Canaries.Enabled, aws.Canaries.Table, aws.Canaries.KeyAttribute));
        Assert.Equal(("AWorld/Clients", "SuccessRatio", "Average", "us-east-1"),
            (aws.ClientSuccessMetric!.Namespace, aws.ClientSuccessMetric.MetricName, aws.ClientSuccessMetric.Stat, aws.ClientSuccessMetric.Region));
        Assert.Equal((_ids.KmsKeyId, "eu-west-1"), (aws.KmsKeyId, aws.KmsRegion));
    }

    [Fact]
    public void Settings_BindThrottlingScalingAndFis_PerRegion_ToTheServedIdentifiers()
    {
        var aws = _configuration.GetSection(AwsOptions.SectionName).Get<AwsOptions>()!;
        var regions = _estate.Regions.Select(r => r.Code).Order().ToList();

        Assert.Equal(regions, aws.Throttling.Keys.Order());
        Assert.Equal(regions, aws.Scaling.Keys.Order());
        foreach (var region in regions)
        {
            var throttling = aws.Throttling[region];
            Assert.Equal(TwinIdentifiers.RestApiId(region), throttling.RestApiId);
            Assert.Equal((TwinIdentifiers.DefaultUsagePlanId(region), TwinIdentifiers.RestrictedUsagePlanId(region)), (throttling.DefaultUsagePlanId, throttling.RestrictedUsagePlanId));
            Assert.NotEqual(throttling.DefaultUsagePlanId, throttling.RestrictedUsagePlanId);
            Assert.Equal(40, throttling.Clients.Count);
            Assert.Equal(("AWorld/Clients", "Requests", region), (throttling.ClientRateMetric.Namespace, throttling.ClientRateMetric.MetricName, throttling.ClientRateMetric.Region));
            Assert.Equal(new Dictionary<string, string> { ["Region"] = region, ["Client"] = "{client}" }, throttling.ClientRateMetric.Dimensions);
            Assert.Equal(["aworld-api-handler"], aws.Scaling[region].Functions);
            Assert.Equal(1000, aws.Scaling[region].BaselineConcurrency);
        }

        Assert.True(aws.Fis.Enabled);
        Assert.Equal(["bad-deploy", "errors", "flap", "latency", "outage", "partition", "throttle"], aws.Fis.Templates.Keys.Order());
        Assert.All(aws.Fis.Templates.Values, byRegion => Assert.Equal(regions, byRegion.Keys.Order()));
        var ids = aws.Fis.Templates.Values.SelectMany(t => t.Values).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("EXT", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_BindToTheEstate_AsTheTwinHasIt_WithHostedZoneSetIdentifiersAndHealthChecks()
    {
        var awsEstate = _configuration.GetSection(EstateOptions.SectionName).Get<AwsEstateOptions>()!;
        var topology = EstateTopology.From(_configuration.GetSection(EstateOptions.SectionName).Get<EstateOptions>()!);

        Assert.Equal(_ids.HostedZoneId, awsEstate.Dns.HostedZoneId);
        Assert.Matches("^Z[A-Z0-9]{20}$", awsEstate.Dns.HostedZoneId);
        Assert.Equal(_estate.Regions.Select(r => (r.Code, r.Code)), awsEstate.Dns.Records.Select(r => (r.Region, r.SetIdentifier)));
        Assert.Equal(_estate.Regions.Select(r => (r.Code, TwinIdentifiers.HealthCheckId(r.Code))), awsEstate.Regions.Select(r => (r.Code, r.HealthCheckId)));
        Assert.All(awsEstate.Regions, r => Assert.True(Guid.TryParse(r.HealthCheckId, out _)));
        Assert.Equal(EstateProvider.Aws, topology.Provider);
        Assert.Equal(_estate.Regions.Select(r => (r.Code, r.DisplayName, r.Role, r.Endpoint)), topology.Regions.Select(r => (r.Code, r.DisplayName, r.Role, r.Endpoint)));
        Assert.Equal(_estate.Dns.Records.Select(r => (r.Region, r.Weight)), topology.Dns.Records.Select(r => (r.Region, r.Weight)));
        Assert.Equal((_estate.Dns.Name, _estate.Dns.TtlSeconds), (topology.Dns.Name, topology.Dns.TtlSeconds));
        Assert.Equal(_estate.Tables.Select(t => (t.Name, string.Join(',', t.Replicas), t.SizeGb)), topology.Tables.Select(t => (t.Name, string.Join(',', t.Replicas), t.SizeGb)));
        Assert.Equal(_estate.Objectives, topology.Objectives);
    }

    [Fact]
    public void Identifiers_AreStable_AndShapedLikeAwsOwn()
    {
        var again = new TwinIdentifiers(EstateTopology.Default);

        Assert.Equal(_ids.HostedZoneId, again.HostedZoneId);
        Assert.Equal(_ids.KmsKeyId, again.KmsKeyId);
        Assert.True(Guid.TryParse(_ids.KmsKeyId, out _));
        Assert.Matches("^[a-z0-9]{6}$", TwinIdentifiers.DefaultUsagePlanId("eu-west-1"));
        Assert.Matches("^[a-z0-9]{10}$", TwinIdentifiers.ApiKeyId("eu-west-1", "tenant-03"));
        Assert.Matches("^EXT[A-Za-z0-9]{14}$", TwinIdentifiers.TemplateId("outage", "eu-west-1"));
        Assert.Equal("aworld.example.", _ids.ZoneName);
        Assert.Equal("hc-eu-central-1", _ids.TwinHealthCheckId(TwinIdentifiers.HealthCheckId("eu-central-1")));
    }
}
