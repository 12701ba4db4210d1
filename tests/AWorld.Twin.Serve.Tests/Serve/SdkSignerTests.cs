using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Configuration;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>
/// The served twin in this process, called the way the AWS adapters call AWS: an <see cref="HttpClient"/> behind
/// AWSSDK.Core's own <see cref="SigV4SigningHandler"/> (Route 53 signed for us-east-1, as they sign it). Proves the
/// server's signature check agrees with the .NET SDK as well as with botocore (the CLI tests).
/// </summary>
public sealed class SdkSignerTests : IAsyncLifetime
{
    private TwinServer? _server;

    public async Task InitializeAsync() =>
        _server = await TwinServer.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Simulation:Speed"] = "20" }).Build(), 0, verbose: false, default);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(default);
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task DynamoDbJson_SignedByTheSdk_IsServed()
    {
        using var http = Client("dynamodb", "eu-central-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, _server!.Endpoint)
        {
            Content = new StringContent("""{"TableName":"aworld-sessions"}""", Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810.DescribeTable");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("aworld-sessions", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("Table").GetProperty("TableName").GetString());
    }

    [Fact]
    public async Task Route53QueryString_SignedByTheSdkForUsEast1_IsServedAndPaged()
    {
        using var http = Client("route53", "us-east-1");
        var ids = new TwinIdentifiers(AWorld.Core.Estate.EstateTopology.Default);

        using var response = await http.GetAsync(new Uri(_server!.Endpoint, $"/2013-04-01/hostedzone/{ids.HostedZoneId}/rrset?name=api.aworld.example.&type=CNAME&maxitems=2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync());
        XNamespace x = Route53Service.Namespace;
        Assert.Equal(2, xml.Descendants(x + "ResourceRecordSet").Count());
        Assert.Equal("true", xml.Element(x + "IsTruncated")!.Value);
        Assert.Equal("eu-west-1", xml.Element(x + "NextRecordIdentifier")!.Value);
    }

    [Fact]
    public async Task LambdaPathWithAnEncodedArn_SignedByTheSdk_IsServed()
    {
        using var http = Client("lambda", "eu-west-1");
        var arn = Uri.EscapeDataString("arn:aws:lambda:eu-west-1:123456789012:function:aworld-api-handler");

        using var response = await http.GetAsync(new Uri(_server!.Endpoint, $"/2019-09-30/functions/{arn}/concurrency"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CloudWatchQueryForm_SignedByTheSdk_IsServed_AndAWrongSecretIsNot()
    {
        var form = "Action=GetMetricData&Version=2010-08-01&MetricDataQueries.member.1.Id=m&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FApiGateway"
            + "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=Count&MetricDataQueries.member.1.MetricStat.Period=60&MetricDataQueries.member.1.MetricStat.Stat=Sum"
            + "&StartTime=2026-01-05T00%3A00%3A00Z&EndTime=2026-01-05T01%3A00%3A00Z";
        using var good = Client("monitoring", "eu-west-1");
        using var bad = Client("monitoring", "eu-west-1", "not-the-secret");

        using var served = await good.PostAsync(_server!.Endpoint, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var refused = await bad.PostAsync(_server.Endpoint, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("GetMetricDataResponse", XElement.Parse(await served.Content.ReadAsStringAsync()).Name.LocalName);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Client(string service, string region, string secret = TwinCredentials.SecretAccessKey) =>
        new(new SigV4SigningHandler(new BasicAWSCredentials(TwinCredentials.AccessKeyId, secret), RegionEndpoint.GetBySystemName(region), service,
            new SocketsHttpHandler { AllowAutoRedirect = false }));
}
