using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AWorld.Aws.Routing;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Http;

/// <summary>How the adapters fail: a denied call names the IAM action to grant; a silent endpoint times out within the configured timeout.</summary>
[Collection(MotoCollection.Name)]
public sealed class FailureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CloudWatch_AccessDenied_NamesTheIamActionToGrant()
    {
        // A moto of its own with IAM checks on after three calls: a user, its policy (Route 53 only) and its key.
        var moto = new MotoServer();
        moto.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3";
        await moto.InitializeAsync();
        try
        {
            var key = await Python.RunAsync("""
                import json, sys, boto3
                i = json.load(sys.stdin)
                iam = boto3.client('iam', endpoint_url=i['endpoint'], region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x')
                iam.create_user(UserName='console-reader')
                policy = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['route53:GetHealthCheckStatus'], 'Resource': '*'}]}
                iam.put_user_policy(UserName='console-reader', PolicyName='route53-only', PolicyDocument=json.dumps(policy))
                k = iam.create_access_key(UserName='console-reader')['AccessKey']
                print(json.dumps({'id': k['AccessKeyId'], 'secret': k['SecretAccessKey']}))
                """, new { endpoint = moto.Endpoint.AbsoluteUri });
            var options = moto.Options();
            options.AccessKeyId = key.GetProperty("id").GetString();
            options.SecretAccessKey = key.GetProperty("secret").GetString();
            var source = new CloudWatchTelemetrySource(new CloudWatchClient(TestAws.Http(options, new RecordingHandler())), Options.Create(options), Options.Create(new AwsEstateOptions()));

            var error = await Assert.ThrowsAsync<EstateServiceException>(() => source.GetMetricDataAsync(Request(), CancellationToken.None));

            // AccessDenied, not SignatureDoesNotMatch: moto checked our signature with the user's secret and accepted it.
            Assert.Equal("AccessDenied", error.ErrorCode);
            Assert.Contains("Grant the IAM action cloudwatch:GetMetricData", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }

    [Fact]
    public async Task Route53_AccessDenied_NamesTheIamActionToGrant()
    {
        // Route 53's error shape (moto's IAM checks cannot verify Route 53 signatures, botocore's included).
        var transport = new RecordingHandler(_ => RecordingHandler.Answer(HttpStatusCode.Forbidden,
            $"""<?xml version="1.0"?><ErrorResponse xmlns="{Route53Client.Namespace}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/console-read/aworld is not authorized to perform: route53:GetHealthCheckStatus</Message></Error><RequestId>0f1e2d3c</RequestId></ErrorResponse>""",
            "text/xml"));
        var estate = new AwsEstateOptions { Regions = [new AwsRegionOptions { Code = "eu-west-1", HealthCheckId = "abc" }] };
        var source = new Route53HealthSource(new Route53Client(TestAws.Http(TestAws.Scripted(), transport)), Options.Create(estate));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => source.GetHealthCheckStatusAsync("hc-eu-west-1", CancellationToken.None));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("Grant the IAM action route53:GetHealthCheckStatus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointThatAcceptsAndNeverAnswers_EndsInRequestTimeout_WithinTheConfiguredTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await listener.AcceptSocketAsync());
            }
        });
        var options = TestAws.Scripted();
        options.Endpoints[AwsService.CloudWatch] = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
        options.Timeout = TimeSpan.FromMilliseconds(300);
        options.MaxRetries = 1;
        options.BaseBackoff = TimeSpan.FromMilliseconds(10);
        var transport = new RecordingHandler();
        var source = new CloudWatchTelemetrySource(new CloudWatchClient(TestAws.Http(options, transport)), Options.Create(options), Options.Create(new AwsEstateOptions()));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<EstateServiceException>(() => source.GetMetricDataAsync(Request(), CancellationToken.None));
        clock.Stop();

        Assert.Equal("RequestTimeout", error.ErrorCode);
        Assert.Contains("cloudwatch:GetMetricData did not answer within 0.3 s (2 attempts)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, transport.Requests.Count);

        // Two attempts of 300 ms and a backoff of at most 10 ms; the rest is slack for a loaded machine.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
        held.ForEach(s => s.Dispose());
    }

    private static GetMetricDataRequest Request() => new("eu-west-1", T0, T0.AddMinutes(5),
        [new MetricDataQuery("m0", new MetricStat("AWS/ApiGateway", "Count", [new MetricDimension("ApiName", MetricCatalog.ApiName)], 60, "Sum"))]);
}
