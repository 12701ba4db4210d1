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
        var port = FreePort();
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

    [Fact]
    public async Task AwsAccessDeniedAnswer_AsDynamoDbSendsIt_NamesTheIamActionToGrant()
    {
        // The shape AWS answers a denied DynamoDB call with (moto answers with XML instead; see DynamoDbTableAdminTests).
        using var server = new HttpListener();
        var port = FreePort();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var answering = Task.Run(async () =>
        {
            var context = await server.GetContextAsync();
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/x-amz-json-1.0";
            var body = """{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/aworld-console-read/aworld-console-write is not authorized to perform: dynamodb:RestoreTableToPointInTime on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders because no identity-based policy allows the dynamodb:RestoreTableToPointInTime action"}"""u8.ToArray();
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var options = Options($"http://127.0.0.1:{port}/");
        options.AllowWrites = true;
        using var clients = MotoData.Clients(options);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => new DynamoDbTableAdmin(clients).RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest("orders", "orders-restore-1", "eu-west-1", null, true), CancellationToken.None));
        await answering;

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.EndsWith("(dynamodb:RestoreTableToPointInTime) Grant the IAM action dynamodb:RestoreTableToPointInTime to the console's role (or check its credentials).", error.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static AwsOptions Options(string endpoint) => new()
    {
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        Endpoints = new() { [AwsService.DynamoDb] = endpoint },
        MaxRetries = 0,
    };
}
