using System.Xml.Linq;
using AWorld.Aws.Http;
using AWorld.Aws.Routing;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Routing;

/// <summary>
/// A hosted zone, three health checks (boto3) and a weighted record set of three regions (our client) in moto's Route 53,
/// read by the router and the health source, changed in one batch.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class Route53Tests(MotoServer moto) : IAsyncLifetime
{
    private const string ApiName = "api.aworld.example.";
    private static readonly string[] Regions = ["eu-west-1", "eu-central-1", "eu-north-1"];

    private string _zoneId = "";
    private Dictionary<string, string> _checks = [];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        (_zoneId, _checks) = await MotoRoute53.CreateZoneAndHealthChecksAsync(moto, "aworld.example", Regions);
        var (client, _) = Client();
        Route53RecordSet Weighted(string type, string region, long weight) =>
            new(ApiName, type) { SetIdentifier = region, Weight = weight, HealthCheckId = _checks[region] };
        await client.ChangeResourceRecordSetsAsync(_zoneId,
        [
            Create(Weighted("A", "eu-west-1", 100) with { Ttl = 60, ResourceRecords = ["192.0.2.10", "192.0.2.11"] }),
            Create(Weighted("AAAA", "eu-west-1", 100) with { Ttl = 60, ResourceRecords = ["2001:db8::10"] }),
            Create(Weighted("A", "eu-central-1", 100) with { Ttl = 30, ResourceRecords = ["192.0.2.20"] }),
            Create(Weighted("A", "eu-north-1", 0) with { AliasTarget = new Route53AliasTarget("Z2FDTNDATAQYW2", "d111.cloudfront.net.", true) }),

            // Not the estate's: a canary record in the same set, and another name.
            Create(new Route53RecordSet(ApiName, "A") { SetIdentifier = "canary", Weight = 5, Ttl = 60, ResourceRecords = ["192.0.2.99"] }),
            Create(new Route53RecordSet("www.aworld.example.", "CNAME") { Ttl = 300, ResourceRecords = ["api.aworld.example"] }),
        ], "the estate's records", CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListRecords_MapsEachConfiguredRecordToItsRegion_WithHealthChecksAsTheTopologyNamesThem()
    {
        var records = await Router(Client().Client).ListRecordsAsync(CancellationToken.None);

        Assert.Equal(
        [
            new TrafficRecord("eu-west-1", 100, null, "hc-eu-west-1", 60),
            new TrafficRecord("eu-central-1", 100, null, "hc-eu-central-1", 30),

            // moto answers an alias record with TTL 0 (AWS leaves TTL out of an alias record: 0 here too).
            new TrafficRecord("eu-north-1", 0, null, "hc-eu-north-1", 0),
        ], records);
    }

    [Fact]
    public async Task ChangeWeights_OneAtomicBatchOfWholeRecords_ChangesOnlyTheWeights_AndGetChangeFollowsIt()
    {
        var (client, transport) = Client();
        var before = await AllRecordsAsync(client);
        var router = Router(client);

        var info = await router.ChangeWeightsAsync(
            [new WeightChange("eu-west-1", 0), new WeightChange("eu-central-1", 200), new WeightChange("eu-north-1", 55)], "drain eu-west-1", CancellationToken.None);

        // One batch: UPSERTs of the three regions' records (A and AAAA of eu-west-1), nothing else.
        var post = Assert.Single(transport.Requests, r => r.Method == HttpMethod.Post);
        Assert.EndsWith($"/2013-04-01/hostedzone/{Route53Client.StripPrefix(_zoneId)}/rrset/", post.Uri.AbsolutePath, StringComparison.Ordinal);
        var changes = XDocument.Parse(post.Text).Descendants(XName.Get("Change", Route53Client.Namespace)).ToList();
        Assert.Equal(4, changes.Count);
        Assert.All(changes, c => Assert.Equal("UPSERT", c.Element(XName.Get("Action", Route53Client.Namespace))!.Value));

        // Read back: each changed record is the record as it was with the new weight; every other record as it was.
        var after = await AllRecordsAsync(client);
        long? Expected(Route53RecordSet r) => r.SetIdentifier switch
        {
            "eu-west-1" => 0,
            "eu-central-1" => 200,
            "eu-north-1" => 55,
            _ => r.Weight,
        };
        Assert.Equal(before.Select(r => r with { Weight = Expected(r) }), after);
        Assert.Equal(4, before.Zip(after).Count(p => p.First != p.Second));

        Assert.False(info.Id.Contains('/', StringComparison.Ordinal), info.Id);
        Assert.Equal("drain eu-west-1", info.Comment);
        var change = await router.GetChangeAsync(info.Id, CancellationToken.None);
        Assert.Equal(info.Id, change.Id);
        Assert.Equal(ChangeStatus.InSync, change.Status);
    }

    [Fact]
    public async Task ChangeWeights_WithWritesOff_IsADryRun_WhoseMessageIsTheExactRequest_AndMotoIsUnchanged()
    {
        var (client, transport) = Client(allowWrites: false);
        var before = await AllRecordsAsync(client);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => Router(client).ChangeWeightsAsync(
            [new WeightChange("eu-central-1", 0), new WeightChange("eu-west-1", 255)], "shift to eu-west-1", CancellationToken.None));

        Assert.Equal(AwsHttp.DryRunCode, error.ErrorCode);
        var body = await MotoRoute53.ExpectedUpsertBodyAsync(moto, _zoneId, ApiName, [("eu-central-1", 0), ("eu-west-1", 255)], "shift to eu-west-1");
        Assert.Contains($"POST {moto.Endpoint}2013-04-01/hostedzone/{Route53Client.StripPrefix(_zoneId)}/rrset/ {body}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(transport.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal(before, await AllRecordsAsync(client));
    }

    [Fact]
    public async Task ChangeWeights_ForARegionWithoutAConfiguredRecord_IsRefusedBeforeAnyCall()
    {
        var (client, transport) = Client();
        var estate = Estate();
        estate.Dns.Records.RemoveAll(r => r.Region == "eu-north-1");
        var router = new Route53TrafficRouter(client, Options.Create(estate), EstateTopology.Default);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => router.ChangeWeightsAsync([new WeightChange("eu-north-1", 10)], "", CancellationToken.None));

        Assert.Equal("InvalidChangeBatch", error.ErrorCode);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public void Router_TwoRegionsWithOneSetIdentifier_IsAConfigurationError()
    {
        var estate = Estate();
        estate.Dns.Records[1].SetIdentifier = estate.Dns.Records[0].SetIdentifier;

        var error = Assert.Throws<InvalidOperationException>(() => new Route53TrafficRouter(Client().Client, Options.Create(estate), EstateTopology.Default));

        Assert.Contains("eu-west-1 and eu-central-1 the same SetIdentifier 'eu-west-1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthSource_ReadsTheConfiguredCheck_SuccessFromTheStatusText()
    {
        var (client, transport) = Client();
        var source = new Route53HealthSource(client, Options.Create(Estate()));

        var observation = Assert.Single(await source.GetHealthCheckStatusAsync("hc-eu-central-1", CancellationToken.None));

        Assert.Equal($"/2013-04-01/healthcheck/{_checks["eu-central-1"]}/status", Assert.Single(transport.Requests).Uri.AbsolutePath);

        // moto's answer: one checker in us-east-1, "Success: HTTP Status Code: 200. Resolved IP: 127.0.13.37. OK".
        Assert.Equal("us-east-1", observation.CheckerRegion);
        Assert.Equal("127.0.13.37", observation.IpAddress);
        Assert.True(observation.Success);
        Assert.StartsWith("Success: HTTP Status Code", observation.StatusReport, StringComparison.Ordinal);
        Assert.InRange(observation.CheckedTime, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task HealthSource_ForARegionWithoutAConfiguredCheck_AsksByTheTopologysId()
    {
        var (client, transport) = Client();
        var estate = Estate();
        estate.Regions.RemoveAll(r => r.Code == "eu-north-1");
        var source = new Route53HealthSource(client, Options.Create(estate));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => source.GetHealthCheckStatusAsync("hc-eu-north-1", CancellationToken.None));

        Assert.Equal("/2013-04-01/healthcheck/hc-eu-north-1/status", Assert.Single(transport.Requests).Uri.AbsolutePath);
        Assert.Equal("NoSuchHealthCheck", error.ErrorCode);
        Assert.Contains("route53:GetHealthCheckStatus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealthCheck_ReturnsTheCheckAsCreated()
    {
        var check = await Client().Client.GetHealthCheckAsync(_checks["eu-west-1"], CancellationToken.None);

        Assert.Equal(_checks["eu-west-1"], check.Id);
        Assert.Equal("hc-eu-west-1", check.CallerReference);
        Assert.Equal(1, check.Version);
        Assert.Equal(
            new Route53HealthCheckConfig("HTTPS")
            {
                Port = 443,
                ResourcePath = "/health",
                FullyQualifiedDomainName = "api.eu-west-1.aworld.example",
                RequestInterval = 30,
                FailureThreshold = 3,
            },
            check.Config with { Regions = [] });
    }

    [Fact]
    public async Task ListResourceRecordSets_FollowsThePages_ByNameAndType()
    {
        var (client, transport) = Client();
        var (zone, _) = await MotoRoute53.CreateZoneAndHealthChecksAsync(moto, "paging.example");
        await client.ChangeResourceRecordSetsAsync(zone,
        [
            Create(new Route53RecordSet("c.paging.example.", "TXT") { Ttl = 60, ResourceRecords = ["\"c\""] }),
            Create(new Route53RecordSet("a.paging.example.", "A") { Ttl = 60, ResourceRecords = ["192.0.2.1"] }),
            Create(new Route53RecordSet("b.paging.example.", "CNAME") { Ttl = 60, ResourceRecords = ["a.paging.example"] }),
        ], null, CancellationToken.None);

        var records = await ToListAsync(client.ListResourceRecordSetsAsync(zone, pageSize: 2));

        Assert.Equal(
            ["paging.example. NS", "paging.example. SOA", "a.paging.example. A", "b.paging.example. CNAME", "c.paging.example. TXT"],
            records.Select(r => $"{r.Name} {r.Type}"));
        var lists = transport.Requests.Where(r => r.Method == HttpMethod.Get).Select(r => r.Uri.Query).ToList();
        Assert.Equal(["?maxitems=2", "?name=a.paging.example.&type=A&maxitems=2", "?name=c.paging.example.&type=TXT&maxitems=2"], lists);
    }

    [Fact]
    public async Task ListResourceRecordSets_WhenAServerRepeatsAPage_StopsWithPagingStopped()
    {
        // moto ignores StartRecordIdentifier and answers no NextRecordIdentifier: inside a weighted set its next page
        // starts where the last one did. Real Route 53 pages through set identifiers; either way the read is bounded.
        var (client, transport) = Client();

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => ToListAsync(client.ListResourceRecordSetsAsync(_zoneId, ApiName, pageSize: 1)));

        Assert.Equal("PagingStopped", error.ErrorCode);
        Assert.Equal(2, transport.Requests.Count);
    }

    private (Route53Client Client, RecordingHandler Transport) Client(bool allowWrites = true)
    {
        var options = moto.Options(allowWrites);
        options.Route53RequestsPerSecond = 0;
        var transport = new RecordingHandler();
        return (new Route53Client(TestAws.Http(options, transport)), transport);
    }

    private Route53TrafficRouter Router(Route53Client client) => new(client, Options.Create(Estate()), EstateTopology.Default);

    private AwsEstateOptions Estate() => new()
    {
        Dns = new AwsDnsOptions
        {
            HostedZoneId = _zoneId,
            Records = [.. Regions.Select(r => new AwsRecordOptions { Region = r, SetIdentifier = r })],
        },
        Regions = [.. Regions.Select(r => new AwsRegionOptions { Code = r, HealthCheckId = _checks[r] })],
    };

    private async Task<List<Route53RecordSet>> AllRecordsAsync(Route53Client client) => await ToListAsync(client.ListResourceRecordSetsAsync(_zoneId));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static Route53Change Create(Route53RecordSet record) => new(Route53ChangeAction.Create, record);
}
