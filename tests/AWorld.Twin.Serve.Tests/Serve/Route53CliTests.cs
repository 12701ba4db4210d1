using System.Net.Http.Json;
using System.Text.Json;
using AWorld.Aws;
using AWorld.Core.Estate;
using AWorld.Twin.Serve.Tests.Shared;
using Microsoft.Extensions.Configuration;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>Route 53 (REST-XML) through the AWS CLI: the twin's health checkers, its hosted zone and record set, weight changes.</summary>
public sealed class Route53CliTests(FastTwin twin) : IClassFixture<FastTwin>
{
    private static readonly string[] CheckerRegions = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"];

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task HealthChecks_ListGetAndStatus_AreTheTwinsCheckersUnderTheSettingsIds(string cli)
    {
        var ids = HealthCheckIds();

        var list = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "list-health-checks");
        var one = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "get-health-check", "--health-check-id", ids["eu-central-1"]);
        var status = await ServedTwin.EventuallyAsync(
            () => AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "get-health-check-status", "--health-check-id", ids["eu-west-1"]),
            s => s.GetProperty("HealthCheckObservations").GetArrayLength() == CheckerRegions.Length,
            "every checker location has probed eu-west-1");

        var checks = list.GetProperty("HealthChecks").EnumerateArray().ToList();
        Assert.Equal(ids.Values.Order(), checks.Select(c => c.GetProperty("Id").GetString()).Order());
        foreach (var check in checks)
        {
            var config = check.GetProperty("HealthCheckConfig");
            var region = ids.Single(p => p.Value == check.GetProperty("Id").GetString()).Key;
            Assert.Equal($"api.{region}.aworld.example", config.GetProperty("FullyQualifiedDomainName").GetString());
            Assert.Equal(30, config.GetProperty("RequestInterval").GetInt32());
            Assert.Equal(3, config.GetProperty("FailureThreshold").GetInt32());
            Assert.Equal(CheckerRegions, config.GetProperty("Regions").EnumerateArray().Select(r => r.GetString()));
        }

        Assert.Equal(ids["eu-central-1"], one.GetProperty("HealthCheck").GetProperty("Id").GetString());
        var observations = status.GetProperty("HealthCheckObservations").EnumerateArray().ToList();
        Assert.Equal(CheckerRegions.Order(), observations.Select(o => o.GetProperty("Region").GetString()).Order());
        Assert.All(observations, o => Assert.StartsWith("Success: HTTP Status Code 200", o.GetProperty("StatusReport").GetProperty("Status").GetString(), StringComparison.Ordinal));
        var started = (await twin.ClockAsync()).StartTime;
        Assert.All(observations, o => Assert.True(AwsCli.Time(o.GetProperty("StatusReport").GetProperty("CheckedTime")) > started));
        await AwsCli.FailsAsync("NoSuchHealthCheck", cli, twin, "eu-west-1", "route53", "get-health-check-status", "--health-check-id", "00000000-0000-4000-8000-000000000000");
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task RecordSet_WeightChange_IsReadBackAndGoesInSync(string cli)
    {
        var (region, weight) = cli == AwsCli.V1 ? ("eu-west-1", 40) : ("eu-central-1", 60);
        var zoneId = twin.Settings.GetProperty("Estate").GetProperty("Dns").GetProperty("HostedZoneId").GetString()!;

        var zones = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "list-hosted-zones");
        var before = Records(await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "list-resource-record-sets", "--hosted-zone-id", zoneId));
        var batch = Path.Combine(Path.GetTempPath(), $"aworld-change-{cli}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(batch, ChangeBatch("UPSERT", before[region], weight));
        var change = (await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "change-resource-record-sets", "--hosted-zone-id", zoneId, "--change-batch", "file://" + batch)).GetProperty("ChangeInfo");
        var after = Records(await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "list-resource-record-sets", "--hosted-zone-id", "/hostedzone/" + zoneId));
        var truth = await twin.Http.GetFromJsonAsync<JsonElement>(new Uri(twin.Endpoint, "/_twin/truth"));
        var inSync = await ServedTwin.EventuallyAsync(
            async () => (await AwsCli.JsonAsync(cli, twin, "eu-west-1", "route53", "get-change", "--id", change.GetProperty("Id").GetString()!)).GetProperty("ChangeInfo"),
            c => c.GetProperty("Status").GetString() == "INSYNC",
            "the change reached every name server of the twin");
        await File.WriteAllTextAsync(batch, ChangeBatch("DELETE", before[region], weight));
        await AwsCli.FailsAsync("InvalidChangeBatch", cli, twin, "eu-west-1", "route53", "change-resource-record-sets", "--hosted-zone-id", zoneId, "--change-batch", "file://" + batch);
        File.Delete(batch);

        var zone = Assert.Single(zones.GetProperty("HostedZones").EnumerateArray());
        Assert.Equal("/hostedzone/" + zoneId, zone.GetProperty("Id").GetString());
        Assert.Equal("aworld.example.", zone.GetProperty("Name").GetString());
        Assert.Equal(["eu-central-1", "eu-north-1", "eu-west-1"], before.Keys.Order());
        foreach (var (code, record) in before)
        {
            Assert.Equal("api.aworld.example.", record.GetProperty("Name").GetString());
            Assert.Equal(60, record.GetProperty("TTL").GetInt32());
            Assert.Equal($"api.{code}.aworld.example", record.GetProperty("ResourceRecords")[0].GetProperty("Value").GetString());
            Assert.Equal(HealthCheckIds()[code], record.GetProperty("HealthCheckId").GetString());
        }

        Assert.StartsWith("/change/C", change.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Equal("PENDING", change.GetProperty("Status").GetString());
        Assert.Equal(weight, after[region].GetProperty("Weight").GetInt32());
        Assert.Equal(weight, truth.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("code").GetString() == region).GetProperty("weight").GetInt32());
        Assert.Equal(change.GetProperty("Id").GetString(), inSync.GetProperty("Id").GetString());
    }

    [Fact]
    public async Task SettingsFile_WrittenByTheCommand_BindsToTheAwsOptionsAndNamesTheServedEndpoint()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(twin.SettingsFile).Build();

        var aws = configuration.GetSection(AwsOptions.SectionName).Get<AwsOptions>()!;
        var estate = configuration.GetSection(EstateOptions.SectionName).Get<AwsEstateOptions>()!;
        var topology = EstateTopology.From(configuration.GetSection(EstateOptions.SectionName).Get<EstateOptions>()!);

        Assert.Equal(Enum.GetValues<AwsService>().Order(), aws.Endpoints.Keys.Order());
        Assert.All(aws.Endpoints.Values, url => Assert.Equal(twin.Endpoint.GetLeftPart(UriPartial.Authority), url));
        Assert.Equal(EstateProvider.Aws, topology.Provider);
        Assert.Equal(HealthCheckIds(), estate.Regions.ToDictionary(r => r.Code, r => r.HealthCheckId));
        var listed = await AwsCli.JsonAsync(AwsCli.V1, twin, "eu-west-1", "route53", "list-hosted-zones");
        Assert.Equal("/hostedzone/" + estate.Dns.HostedZoneId, listed.GetProperty("HostedZones")[0].GetProperty("Id").GetString());
    }

    private Dictionary<string, string> HealthCheckIds() =>
        twin.Settings.GetProperty("Estate").GetProperty("Regions").EnumerateArray()
            .ToDictionary(r => r.GetProperty("Code").GetString()!, r => r.GetProperty("HealthCheckId").GetString()!);

    /// <summary>The API's weighted records by set identifier.</summary>
    private static Dictionary<string, JsonElement> Records(JsonElement answer) =>
        answer.GetProperty("ResourceRecordSets").EnumerateArray()
            .Where(r => r.TryGetProperty("SetIdentifier", out _))
            .ToDictionary(r => r.GetProperty("SetIdentifier").GetString()!, r => r.Clone());

    /// <summary>The record as listed, with a new weight: the change a console's traffic router submits.</summary>
    private static string ChangeBatch(string action, JsonElement record, int weight) =>
        JsonSerializer.Serialize(new
        {
            Comment = $"aworld test: {action} weight {weight}",
            Changes = new[]
            {
                new
                {
                    Action = action,
                    ResourceRecordSet = new
                    {
                        Name = record.GetProperty("Name").GetString(),
                        Type = record.GetProperty("Type").GetString(),
                        SetIdentifier = record.GetProperty("SetIdentifier").GetString(),
                        Weight = weight,
                        TTL = record.GetProperty("TTL").GetInt32(),
                        ResourceRecords = new[] { new { Value = record.GetProperty("ResourceRecords")[0].GetProperty("Value").GetString() } },
                        HealthCheckId = record.GetProperty("HealthCheckId").GetString(),
                    },
                },
            },
        });
}
