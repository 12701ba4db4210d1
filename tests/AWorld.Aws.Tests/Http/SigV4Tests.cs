using System.Net;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Signing;
using AWorld.Aws.Routing;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Telemetry;

namespace AWorld.Aws.Tests.Http;

/// <summary>
/// The requests our clients build (recorded as they leave our stack, nothing sent) are the requests botocore builds
/// for the same operation and parameters, and for fixed credentials and a fixed time our signature of them (the SDK's
/// <see cref="AWSSigV4Signer"/> with <see cref="AWSSigV4Parameters.SignedAt"/>) is botocore's <c>SigV4Auth</c>
/// signature: same Authorization header, and the SDK's signature is its signing of botocore's canonical request.
/// The signature actually sent (by the signing handler, at its own time) verifies under botocore too.
/// </summary>
public sealed class SigV4Tests
{
    private static readonly DateTime SignedAt = new(2026, 3, 14, 15, 9, 26, DateTimeKind.Utc);

    /// <summary>Headers the signing adds; the rest are the headers our client built.</summary>
    private static readonly HashSet<string> SigningHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token", "Content-Length", "Host",
    };

    [Fact]
    public async Task CloudWatchGetMetricData_IsBotocoresJsonRequest_AndSignsAsBotocore()
    {
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.OK, """{"MetricDataResults":[]}"""));
        var client = new CloudWatchClient(TestAws.Http(TestAws.Scripted(), transport));
        var start = new DateTimeOffset(2026, 3, 14, 14, 0, 0, TimeSpan.Zero);
        await client.GetMetricDataAsync("eu-west-1", start, start.AddMinutes(5),
            [new MetricDataQuery("m0", new MetricStat("AWS/ApiGateway", "Count", [new MetricDimension("ApiName", "prod api/v2")], 60, "Sum"))], CancellationToken.None);

        var sent = Assert.Single(transport.Requests);
        var botocore = await Botocore.SerializeAsync("cloudwatch", "json", "GetMetricData", new
        {
            MetricDataQueries = new[]
            {
                new { Id = "m0", MetricStat = new { Metric = new { Namespace = "AWS/ApiGateway", MetricName = "Count", Dimensions = new[] { new { Name = "ApiName", Value = "prod api/v2" } } }, Period = 60, Stat = "Sum" } },
            },
            StartTime = start.ToUnixTimeSeconds(),
            EndTime = start.AddMinutes(5).ToUnixTimeSeconds(),
            ScanBy = "TimestampAscending",
        }, new Uri("https://monitoring.eu-west-1.amazonaws.com/"));

        AssertSameRequest(botocore, sent, jsonBody: true);
        await AssertSignedAsBotocoreAsync(sent, "monitoring", "eu-west-1");
    }

    [Fact]
    public async Task Route53GetWithQueryString_IsBotocoresRequest_AndSignsAsBotocore()
    {
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.OK,
            $"""<ListResourceRecordSetsResponse xmlns="{Route53Client.Namespace}"><ResourceRecordSets/><IsTruncated>false</IsTruncated><MaxItems>5</MaxItems></ListResourceRecordSetsResponse>"""));
        var client = new Route53Client(TestAws.Http(TestAws.Scripted(), transport));
        await client.ListResourceRecordSetsPageAsync("/hostedzone/Z0123456789ABCDEFGHIJ", "*.api.aworld.example.", "A", "eu west/1+x", 5, CancellationToken.None);

        var sent = Assert.Single(transport.Requests);
        var botocore = await Botocore.SerializeAsync("route53", "rest-xml", "ListResourceRecordSets", new
        {
            HostedZoneId = "Z0123456789ABCDEFGHIJ",
            StartRecordName = "*.api.aworld.example.",
            StartRecordType = "A",
            StartRecordIdentifier = "eu west/1+x",
            MaxItems = "5",
        }, new Uri("https://route53.amazonaws.com/"));

        AssertSameRequest(botocore, sent, jsonBody: false);
        await AssertSignedAsBotocoreAsync(sent, "route53", "us-east-1");
    }

    [Fact]
    public async Task Route53ChangeResourceRecordSets_IsBotocoresXml_AndSignsAsBotocore()
    {
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.OK,
            $"""<ChangeResourceRecordSetsResponse xmlns="{Route53Client.Namespace}"><ChangeInfo><Id>/change/C0001</Id><Status>PENDING</Status><SubmittedAt>2026-03-14T15:09:26Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>"""));
        var client = new Route53Client(TestAws.Http(TestAws.Scripted(), transport));
        var record = new Route53RecordSet("api.aworld.example.", "A")
        {
            SetIdentifier = "eu-west-1",
            Weight = 0,
            Ttl = 60,
            ResourceRecords = ["192.0.2.10", "192.0.2.11"],
            HealthCheckId = "4f0c1a52-1111-2222-3333-444455556666",
        };
        var alias = new Route53RecordSet("api.aworld.example.", "AAAA")
        {
            SetIdentifier = "eu-central-1",
            Weight = 200,
            AliasTarget = new Route53AliasTarget("Z2FDTNDATAQYW2", "d111.cloudfront.net.", true),
            HealthCheckId = "4f0c1a52-7777-2222-3333-444455556666",
        };
        var info = await client.ChangeResourceRecordSetsAsync("/hostedzone/Z0123456789ABCDEFGHIJ",
            [new Route53Change(Route53ChangeAction.Upsert, record), new Route53Change(Route53ChangeAction.Upsert, alias)], "drain eu-west-1 <& move>", CancellationToken.None);
        Assert.Equal("C0001", info.Id);

        var sent = Assert.Single(transport.Requests);
        var botocore = await Botocore.SerializeAsync("route53", "rest-xml", "ChangeResourceRecordSets", new
        {
            HostedZoneId = "Z0123456789ABCDEFGHIJ",
            ChangeBatch = new
            {
                Comment = "drain eu-west-1 <& move>",
                Changes = new object[]
                {
                    new
                    {
                        Action = "UPSERT",
                        ResourceRecordSet = new
                        {
                            Name = "api.aworld.example.", Type = "A", SetIdentifier = "eu-west-1", Weight = 0, TTL = 60,
                            ResourceRecords = new[] { new { Value = "192.0.2.10" }, new { Value = "192.0.2.11" } },
                            HealthCheckId = "4f0c1a52-1111-2222-3333-444455556666",
                        },
                    },
                    new
                    {
                        Action = "UPSERT",
                        ResourceRecordSet = new
                        {
                            Name = "api.aworld.example.", Type = "AAAA", SetIdentifier = "eu-central-1", Weight = 200,
                            AliasTarget = new { HostedZoneId = "Z2FDTNDATAQYW2", DNSName = "d111.cloudfront.net.", EvaluateTargetHealth = true },
                            HealthCheckId = "4f0c1a52-7777-2222-3333-444455556666",
                        },
                    },
                },
            },
        }, new Uri("https://route53.amazonaws.com/"));

        AssertSameRequest(botocore, sent, jsonBody: false);
        await AssertSignedAsBotocoreAsync(sent, "route53", "us-east-1");
    }

    /// <summary>Method, URL, the headers botocore sets and the body: equal (JSON bodies as JSON, XML byte for byte).</summary>
    private static void AssertSameRequest(JsonElement botocore, RecordedRequest sent, bool jsonBody)
    {
        Assert.Equal(botocore.GetProperty("method").GetString(), sent.Method.Method);
        Assert.Equal(botocore.GetProperty("url").GetString(), sent.Uri.AbsoluteUri);
        foreach (var header in botocore.GetProperty("headers").EnumerateObject())
        {
            Assert.Equal(header.Value.GetString(), sent.Header(header.Name));
        }

        var expected = Convert.FromBase64String(botocore.GetProperty("body").GetString()!);
        if (jsonBody)
        {
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, JsonDocument.Parse(sent.Body).RootElement),
                $"botocore: {System.Text.Encoding.UTF8.GetString(expected)}{Environment.NewLine}ours:     {sent.Text}");
        }
        else
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), sent.Text);
        }

        // No header of ours that botocore would not send (signing headers aside).
        var ours = sent.Headers.Keys.Where(h => !SigningHeaders.Contains(h));
        var theirs = botocore.GetProperty("headers").EnumerateObject().Select(h => h.Name);
        Assert.Equal(theirs.Order(StringComparer.OrdinalIgnoreCase), ours.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    private static async Task AssertSignedAsBotocoreAsync(RecordedRequest sent, string service, string region)
    {
        // Our signing at a fixed time, over the request as our client built it.
        var built = sent.Headers.Where(h => !SigningHeaders.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        var signing = new AWSSigningRequest { HttpMethod = sent.Method, RequestUri = sent.Uri, Content = sent.Body.Length > 0 ? sent.Body : null };
        foreach (var (name, value) in built)
        {
            signing.Headers[name] = value;
        }

        var credentials = new BasicAWSCredentials(MotoServer.AccessKeyId, MotoServer.SecretAccessKey);
        var ours = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.GetBySystemName(region), Service = service, SignedAt = SignedAt });
        var oursHeaders = new Dictionary<string, string>(ours.Headers, StringComparer.OrdinalIgnoreCase);

        // botocore, same request and time; it does not add x-amz-content-sha256 by itself, the SDK's signer always signs it.
        var theirsIn = new Dictionary<string, string>(built, StringComparer.OrdinalIgnoreCase) { ["X-Amz-Content-SHA256"] = oursHeaders["X-Amz-Content-SHA256"] };
        var theirs = await Botocore.SignAsync(service, region, sent.Method.Method, sent.Uri, theirsIn, sent.Body, SignedAt);
        var canonical = theirs.GetProperty("canonical_request").GetString()!;

        Assert.Equal(theirs.GetProperty("date").GetString(), oursHeaders["X-Amz-Date"]);
        Assert.True(theirs.GetProperty("authorization").GetString() == oursHeaders["Authorization"],
            $"botocore: {theirs.GetProperty("authorization").GetString()}{Environment.NewLine}ours:     {oursHeaders["Authorization"]}{Environment.NewLine}botocore's canonical request:{Environment.NewLine}{canonical}");

        // The SDK's signature is the SDK's own signing of botocore's canonical request: the canonical requests are the same text.
        var signedHeaders = SignedHeaders(oursHeaders["Authorization"]);
        var ofCanonical = AWS4Signer.ComputeSignature(credentials.GetCredentials(), region, SignedAt, service, signedHeaders, canonical);
        Assert.Equal(ofCanonical.ForAuthorizationHeader, oursHeaders["Authorization"]);

        // What went on the wire (signed by the handler at its own time, with the headers it chose) verifies under botocore.
        var wireAuthorization = sent.Header("Authorization")!;
        var wireTime = DateTime.ParseExact(sent.Header("X-Amz-Date")!, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var wireHeaders = SignedHeaders(wireAuthorization).Split(';').Where(h => h is not "host" and not "x-amz-date")
            .ToDictionary(h => h, h => sent.Header(h) ?? throw new InvalidOperationException($"The signed header {h} was not sent."));
        var wire = await Botocore.SignAsync(service, region, sent.Method.Method, sent.Uri, wireHeaders, sent.Body, wireTime);
        Assert.Equal(wire.GetProperty("authorization").GetString(), wireAuthorization);
    }

    private static string SignedHeaders(string authorization) =>
        authorization.Split(", ").Single(p => p.StartsWith("SignedHeaders=", StringComparison.Ordinal))["SignedHeaders=".Length..];
}
