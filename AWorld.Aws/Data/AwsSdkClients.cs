using System.Collections.Concurrent;
using System.Text;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.SimpleSystemsManagement;
using AWorld.Aws.Http;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Data;

/// <summary>How patient a call is: the configured timeout and retries, or one short attempt (a probe that measures reachability).</summary>
public enum AwsCallProfile
{
    /// <summary><see cref="AwsOptions.Timeout"/> per attempt and <see cref="AwsOptions.MaxRetries"/> retries.</summary>
    Standard,

    /// <summary>One attempt of at most <see cref="AwsCanaryOptions.Timeout"/>: a canary write that does not land in time counts as a failure.</summary>
    Probe,
}

/// <summary>
/// The SDK clients of the services with an SDK on our package source (DynamoDB, SSM, KMS), made the way
/// <see cref="AwsHttp"/> makes its HTTP clients: one per service, region, purpose (the credentials of
/// <see cref="AwsCredentials.For"/>) and call profile; the endpoint override of <see cref="AwsOptions.Endpoints"/>
/// (as ServiceURL, signed for the region) or AWS's own endpoint; <see cref="AwsOptions.Timeout"/> and
/// <see cref="AwsOptions.MaxRetries"/>. Every call goes through <see cref="ReadAsync"/> or <see cref="WriteAsync"/>,
/// which turn every SDK failure into an <see cref="EstateServiceException"/> the way <see cref="AwsError.ToException"/>
/// does (for a denied call, the IAM action to grant); a write with <see cref="AwsOptions.AllowWrites"/> off is not sent
/// and fails with <see cref="AwsHttp.DryRunCode"/> and the exact request (the SDK's own marshalling of it).
/// </summary>
/// <remarks>Thread-safe. Clients are created on first use and disposed with this instance.</remarks>
public sealed class AwsSdkClients : IDisposable
{
    private readonly AwsOptions _options;
    private readonly AwsCredentials _credentials;
    private readonly ConcurrentDictionary<(AwsService, string, AwsPurpose, AwsCallProfile), Lazy<AmazonServiceClient>> _clients = new();

    public AwsSdkClients(IOptions<AwsOptions> options, AwsCredentials credentials)
    {
        _options = options.Value;
        _credentials = credentials;
    }

    public AwsOptions Options => _options;

    /// <summary>The client of a service in a region for a purpose, created on first use.</summary>
    public TClient Client<TClient>(AwsService service, string region, AwsPurpose purpose, AwsCallProfile profile = AwsCallProfile.Standard)
        where TClient : class, IAmazonService =>
        _clients.GetOrAdd((service, region, purpose, profile), key => new Lazy<AmazonServiceClient>(() => Create(key.Item1, key.Item2, key.Item3, key.Item4))).Value as TClient
            ?? throw new InvalidOperationException($"The {AwsServices.DisplayName(service)} client is not a {typeof(TClient).Name}.");

    /// <summary>A call that only reads the account, under the read credentials.</summary>
    /// <exception cref="EstateServiceException">AWS refused or failed the call, or it timed out.</exception>
    public Task<TResponse> ReadAsync<TClient, TResponse>(
        AwsService service,
        string region,
        string action,
        Func<TClient, CancellationToken, Task<TResponse>> send,
        CancellationToken cancellationToken,
        AwsCallProfile profile = AwsCallProfile.Standard)
        where TClient : class, IAmazonService =>
        SendAsync(service, region, action, AwsPurpose.Read, profile, send, cancellationToken);

    /// <summary>
    /// A call under the write credentials that changes nothing in the account (KMS Sign), so it is sent whatever
    /// <see cref="AwsOptions.AllowWrites"/> says.
    /// </summary>
    public Task<TResponse> ActAsync<TClient, TResponse>(
        AwsService service,
        string region,
        string action,
        Func<TClient, CancellationToken, Task<TResponse>> send,
        CancellationToken cancellationToken)
        where TClient : class, IAmazonService =>
        SendAsync(service, region, action, AwsPurpose.Write, AwsCallProfile.Standard, send, cancellationToken);

    /// <summary>
    /// A change to the account, under the write credentials; with <see cref="AwsOptions.AllowWrites"/> off it is not
    /// sent and fails with <see cref="AwsHttp.DryRunCode"/>, the request as the SDK would send it (method, endpoint,
    /// target and body, from <paramref name="marshaller"/>) in the message.
    /// </summary>
    /// <exception cref="EstateServiceException">A dry run, or AWS refused or failed the call, or it timed out.</exception>
    public Task<TResponse> WriteAsync<TClient, TRequest, TResponse>(
        AwsService service,
        string region,
        string action,
        TRequest request,
        IMarshaller<IRequest, AmazonWebServiceRequest> marshaller,
        Func<TClient, TRequest, CancellationToken, Task<TResponse>> send,
        CancellationToken cancellationToken,
        AwsCallProfile profile = AwsCallProfile.Standard)
        where TClient : class, IAmazonService
        where TRequest : AmazonWebServiceRequest
    {
        if (!_options.AllowWrites)
        {
            throw new EstateServiceException(AwsServices.DisplayName(service), region, AwsHttp.DryRunCode,
                $"Estate:Aws:AllowWrites is false, so this change ({action}) was not sent (dry run). The request would have been: {Describe(marshaller.Marshall(request), Endpoint(service, region))}");
        }

        return SendAsync<TClient, TResponse>(service, region, action, AwsPurpose.Write, profile, (client, token) => send(client, request, token), cancellationToken);
    }

    /// <summary>The base address of a service in a region: the configured override, or AWS's endpoint.</summary>
    public Uri Endpoint(AwsService service, string region) =>
        Override(service) is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : AwsServices.DefaultEndpoint(service, region);

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private async Task<TResponse> SendAsync<TClient, TResponse>(
        AwsService service,
        string region,
        string action,
        AwsPurpose purpose,
        AwsCallProfile profile,
        Func<TClient, CancellationToken, Task<TResponse>> send,
        CancellationToken cancellationToken)
        where TClient : class, IAmazonService
    {
        var name = AwsServices.DisplayName(service);
        try
        {
            // Resolved here, not inside the SDK, so that a missing identity is told apart from every other client error.
            await _credentials.For(purpose).GetCredentialsAsync();
        }
        catch (AmazonClientException ex)
        {
            throw new EstateServiceException(name, region, "NoCredentials",
                $"No AWS credentials for {action}: {ex.Message} Configure the SDK's chain (AWS_PROFILE, environment, SSO, instance role) or Estate:Aws:AccessKeyId.");
        }

        try
        {
            return await send(Client<TClient>(service, region, purpose, profile), cancellationToken);
        }
        catch (AmazonServiceException ex) when (ex.StatusCode != 0)
        {
            var code = string.IsNullOrWhiteSpace(ex.ErrorCode) ? $"Http{(int)ex.StatusCode}" : ex.ErrorCode;
            var message = string.IsNullOrWhiteSpace(ex.Message) ? $"HTTP {(int)ex.StatusCode}" : ex.Message;
            throw new AwsError(ex.StatusCode, code, message).ToException(name, region, action);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The SDK reports its own timeout (ClientConfig.Timeout) as a TimeoutException.
            var timeout = profile == AwsCallProfile.Probe ? _options.Canaries.Timeout : _options.Timeout;
            throw new EstateServiceException(name, region, "RequestTimeout",
                $"{action} did not answer within {timeout.TotalSeconds:0.#} s at {Endpoint(service, region)}. The view keeps the last data and marks it stale.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is AmazonServiceException && ex.InnerException is HttpRequestException or IOException))
        {
            throw new EstateServiceException(name, region, "ConnectionFailed", $"{action} could not reach {Endpoint(service, region)}: {(ex.InnerException ?? ex).Message}");
        }
        catch (AmazonClientException ex)
        {
            throw new EstateServiceException(name, region, "ClientError", $"{action} failed before AWS answered: {ex.Message}");
        }
    }

    private AmazonServiceClient Create(AwsService service, string region, AwsPurpose purpose, AwsCallProfile profile)
    {
        var credentials = _credentials.For(purpose);
        return service switch
        {
            AwsService.DynamoDb => new AmazonDynamoDBClient(credentials, Configure(new AmazonDynamoDBConfig(), service, region, profile)),
            AwsService.Ssm => new AmazonSimpleSystemsManagementClient(credentials, Configure(new AmazonSimpleSystemsManagementConfig(), service, region, profile)),
            AwsService.Kms => new AmazonKeyManagementServiceClient(credentials, Configure(new AmazonKeyManagementServiceConfig(), service, region, profile)),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Only DynamoDB, SSM and KMS are called through the SDK; the others go through AwsHttp."),
        };
    }

    private T Configure<T>(T config, AwsService service, string region, AwsCallProfile profile)
        where T : ClientConfig
    {
        // Our options are the one source of endpoints: AWS_ENDPOINT_URL_* in the environment is not consulted.
        config.IgnoreConfiguredEndpointUrls = true;
        config.RetryMode = RequestRetryMode.Standard;
        config.Timeout = profile == AwsCallProfile.Probe ? _options.Canaries.Timeout : _options.Timeout;
        config.MaxErrorRetry = profile == AwsCallProfile.Probe ? 0 : _options.MaxRetries;
        if (Override(service) is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    private string? Override(AwsService service) =>
        _options.Endpoints.TryGetValue(service, out var url) && !string.IsNullOrWhiteSpace(url) ? url : null;

    /// <summary>The request as AwsHttp describes one: method, address, target, body.</summary>
    private static string Describe(IRequest request, Uri endpoint)
    {
        var path = string.IsNullOrEmpty(request.ResourcePath) || request.ResourcePath == "/" ? "" : request.ResourcePath.TrimStart('/');
        var target = request.Headers.TryGetValue("X-Amz-Target", out var value) ? $" ({value})" : "";
        return $"{request.HttpMethod} {new Uri(endpoint, path)}{target}{Body(request)}";
    }

    /// <summary>The JSON marshallers of SDK 4 write the body to a pooled stream, older ones to <see cref="IRequest.Content"/>.</summary>
    private static string Body(IRequest request)
    {
        if (request.Content is { Length: > 0 } content)
        {
            return " " + Encoding.UTF8.GetString(content);
        }

        if (request.ContentStream is not { } stream)
        {
            return "";
        }

        using (stream)
        {
            if (stream.CanSeek)
            {
                stream.Position = 0;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            return text.Length == 0 ? "" : " " + text;
        }
    }
}
