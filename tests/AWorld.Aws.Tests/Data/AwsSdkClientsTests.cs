using System.Net;
using System.Net.Sockets;
using AWorld.Aws.Data;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;

namespace AWorld.Aws.Tests.Data;

/// <summary>How SDK calls fail when AWS does not answer at all: one error type, a code the engine can act on, and the action named.</summary>
public sealed class AwsSdkClientsTests
{
    [Fact]
    public async Task AnEndpointNobodyListensOn_IsConnectionFailed_NamingTheActionAndTheEndpoint()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var clients = MotoData.Clients(Options($"http://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => new DynamoDbTableAdmin(clients).DescribeTableAsync("orders", "eu-west-1", CancellationToken.None));

        Assert.Equal("ConnectionFailed", error.ErrorCode);
        Assert.Contains($"dynamodb:DescribeTable could not reach http://127.0.0.1:{port}/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointThatNeverAnswers_IsRequestTimeout_AfterTheConfiguredTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptTcpClientAsync();
        var options = Options($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        options.Timeout = TimeSpan.FromMilliseconds(500);
        using var clients = MotoData.Clients(options);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => new DynamoDbTableAdmin(clients).DescribeTableAsync("orders", "eu-west-1", CancellationToken.None));

        Assert.Equal("RequestTimeout", error.ErrorCode);
        Assert.Contains("dynamodb:DescribeTable did not answer within 0.5 s", error.Message, StringComparison.Ordinal);
        (await accepted).Dispose();
    }

    private static AwsOptions Options(string endpoint) => new()
    {
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        Endpoints = new() { [AwsService.DynamoDb] = endpoint },
        MaxRetries = 0,
    };
}
