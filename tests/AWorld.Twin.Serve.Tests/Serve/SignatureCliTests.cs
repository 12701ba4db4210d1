using System.Net;
using System.Text;
using System.Xml.Linq;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>
/// Every request is verified against the documented key pair: a wrong secret, an unknown key, a missing or incomplete
/// signature are refused with 403 in the error shape of the protocol the request came in, which the CLI prints.
/// </summary>
public sealed class SignatureCliTests(FastTwin twin) : IClassFixture<FastTwin>
{
    private const string WrongSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>One call per served service and protocol, with the code AWS answers a wrong signature there with.</summary>
    public static TheoryData<string, string, string, string[]> WrongSecretCalls()
    {
        var data = new TheoryData<string, string, string, string[]>();
        foreach (var cli in new[] { AwsCli.V1, AwsCli.V2 })
        {
            // CloudWatch: JSON 1.0 from the v1 CLI, query from the v2 CLI; both keep the query-era code (awsQueryCompatible).
            data.Add(cli, "cloudwatch", "SignatureDoesNotMatch", ["cloudwatch", "get-metric-data", "--metric-data-queries",
                """[{"Id":"m","MetricStat":{"Metric":{"Namespace":"AWS/ApiGateway","MetricName":"Count"},"Period":60,"Stat":"Sum"}}]""",
                "--start-time", "2026-01-05T00:00:00Z", "--end-time", "2026-01-05T01:00:00Z"]);
            data.Add(cli, "route53", "SignatureDoesNotMatch", ["route53", "list-hosted-zones"]);
            data.Add(cli, "sts", "SignatureDoesNotMatch", ["sts", "get-caller-identity"]);
            data.Add(cli, "dynamodb", "InvalidSignatureException", ["dynamodb", "describe-table", "--table-name", "aworld-players"]);
            data.Add(cli, "ssm", "InvalidSignatureException", ["ssm", "get-parameter", "--name", "/aworld/aworld-players/eu-west-1/active-table"]);
            data.Add(cli, "kms", "InvalidSignatureException", ["kms", "describe-key", "--key-id", "alias/aworld-evidence-signing"]);
            data.Add(cli, "fis", "InvalidSignatureException", ["fis", "list-experiments"]);
            data.Add(cli, "apigateway", "InvalidSignatureException", ["apigateway", "get-usage-plan-keys", "--usage-plan-id", "x"]);
            data.Add(cli, "lambda", "InvalidSignatureException", ["lambda", "get-function-concurrency", "--function-name", "aworld-api-handler"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WrongSecretCalls))]
    public async Task WrongSecret_IsRefused_InTheProtocolsErrorShape(string cli, string service, string code, string[] call)
    {
        var result = await AwsCli.RunAsync(cli, twin.Endpoint, "eu-west-1", TwinCredentials.AccessKeyId, WrongSecret, call);

        Assert.True(result.ExitCode != 0, $"{service}: {result}");
        Assert.Contains($"An error occurred ({code})", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("The request signature we calculated does not match the signature you provided", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task UnknownAccessKey_IsUnrecognized(string cli)
    {
        var json = await AwsCli.RunAsync(cli, twin.Endpoint, "eu-west-1", "AKIDSOMEONEELSE00000", TwinCredentials.SecretAccessKey, ["kms", "describe-key", "--key-id", "alias/aworld-evidence-signing"]);
        var xml = await AwsCli.RunAsync(cli, twin.Endpoint, "eu-west-1", "AKIDSOMEONEELSE00000", TwinCredentials.SecretAccessKey, ["route53", "list-health-checks"]);

        Assert.Contains("An error occurred (UnrecognizedClientException)", json.Stderr, StringComparison.Ordinal);
        Assert.Contains("An error occurred (InvalidClientTokenId)", xml.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrIncompleteSignature_IsRefusedWith403_InTheShapeTheRequestSuggests()
    {
        using var json = new HttpRequestMessage(HttpMethod.Post, new Uri(twin.Endpoint, "/"))
        {
            Content = new StringContent("""{"TableName":"aworld-players"}""", Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        json.Headers.Add("X-Amz-Target", "DynamoDB_20120810.DescribeTable");
        using var missing = await twin.Http.SendAsync(json);
        using var xml = new HttpRequestMessage(HttpMethod.Get, new Uri(twin.Endpoint, "/2013-04-01/hostedzone"));
        xml.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={TwinCredentials.AccessKeyId}/20260105/us-east-1/route53/aws4_request, SignedHeaders=host");
        using var incomplete = await twin.Http.SendAsync(xml);

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("com.amazon.coral.service#MissingAuthenticationTokenException",
            System.Text.Json.JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("__type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, incomplete.StatusCode);
        var error = XElement.Parse(await incomplete.Content.ReadAsStringAsync());
        Assert.Equal("IncompleteSignature", error.Descendants().Single(e => e.Name.LocalName == "Code").Value);
    }
}
