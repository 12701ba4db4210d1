using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Http;

/// <summary>Whether a call only reads the account or changes it: each purpose may run under its own role.</summary>
public enum AwsPurpose
{
    Read,
    Write,
}

/// <summary>One call to an AWS API: which service and region, the IAM action it needs (for messages), and how to build the request.</summary>
/// <param name="Service">The service called.</param>
/// <param name="Region">The region whose endpoint is called (Route 53's global endpoint signs for us-east-1).</param>
/// <param name="Action">The IAM action, e.g. <c>cloudwatch:GetMetricData</c>, named when access is denied.</param>
/// <param name="Purpose">Read or write: the credentials it runs under, and whether <see cref="AwsOptions.AllowWrites"/> gates it.</param>
/// <param name="Build">Builds a fresh request for each attempt (a request is signed once and cannot be sent twice), relative to the service endpoint.</param>
public sealed record AwsCall(AwsService Service, string Region, string Action, AwsPurpose Purpose, Func<Uri, HttpRequestMessage> Build);

/// <summary>
/// Sends signed requests to AWS's HTTP APIs (the services without an SDK on our package source: CloudWatch, Route 53,
/// FIS, API Gateway, Lambda), the same way for all of them: one <see cref="HttpClient"/> per service, region and
/// purpose, signed with SigV4 by the SDK's own signer; client-side rate limits (Route 53's account-wide 5 requests a
/// second); a timeout per attempt; retries of throttled and 5xx answers with jittered exponential backoff on the
/// injected clock, each attempt signed afresh; and every error answer turned into an
/// <see cref="EstateServiceException"/> with AWS's error code and a message that says what to do (for a denied call,
/// the IAM action to grant). A write with <see cref="AwsOptions.AllowWrites"/> off is never sent: it fails with the
/// error code <see cref="DryRunCode"/> and the exact request in its message.
/// </summary>
/// <remarks>Thread-safe. Clients are created on first use and live as long as this instance.</remarks>
public sealed class AwsHttp : IDisposable
{
    /// <summary>The error code of a write that was not sent because writes are off.</summary>
    public const string DryRunCode = EstateServiceException.DryRunCode;

    private readonly AwsOptions _options;
    private readonly AwsCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly Func<HttpMessageHandler> _transport;
    private readonly ConcurrentDictionary<(AwsService, string, AwsPurpose), HttpClient> _clients = new();
    private readonly ConcurrentDictionary<AwsService, RateGate> _gates = new();
    private readonly Random _jitter = new(HashCode.Combine(Environment.ProcessId, Environment.TickCount64));

    public AwsHttp(IOptions<AwsOptions> options, AwsCredentials credentials, TimeProvider time)
        : this(options.Value, credentials, time, static () => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
    }

    /// <summary>For tests: <paramref name="transport"/> is the innermost handler (the network, or a test's).</summary>
    internal AwsHttp(AwsOptions options, AwsCredentials credentials, TimeProvider time, Func<HttpMessageHandler> transport)
    {
        _options = options;
        _credentials = credentials;
        _time = time;
        _transport = transport;
    }

    public AwsOptions Options => _options;

    /// <summary>The base address of a service in a region: the configured override, or AWS's endpoint.</summary>
    public Uri Endpoint(AwsService service, string region) =>
        _options.Endpoints.TryGetValue(service, out var url) && !string.IsNullOrWhiteSpace(url)
            ? new Uri(url.EndsWith('/') ? url : url + "/")
            : AwsServices.DefaultEndpoint(service, region);

    /// <summary>Sends the call and returns the successful response (the caller reads and disposes it).</summary>
    /// <exception cref="EstateServiceException">AWS refused or failed the call after the retries, or it timed out.</exception>
    public async Task<HttpResponseMessage> SendAsync(AwsCall call, CancellationToken cancellationToken)
    {
        var name = AwsServices.DisplayName(call.Service);
        var endpoint = Endpoint(call.Service, call.Region);
        await ThrowIfDryRunAsync([call], cancellationToken);

        var client = Client(call.Service, call.Region, call.Purpose);
        for (var attempt = 0; ; attempt++)
        {
            await Gate(call.Service).WaitAsync(cancellationToken);
            using var request = call.Build(endpoint);
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                if (attempt < _options.MaxRetries)
                {
                    await BackoffAsync(attempt, cancellationToken);
                    continue;
                }

                throw new EstateServiceException(name, call.Region, "RequestTimeout",
                    $"{call.Action} did not answer within {_options.Timeout.TotalSeconds:0.#} s ({attempt + 1} attempts) at {endpoint}. The view keeps the last data and marks it stale.");
            }
            catch (HttpRequestException ex)
            {
                if (attempt < _options.MaxRetries)
                {
                    await BackoffAsync(attempt, cancellationToken);
                    continue;
                }

                throw new EstateServiceException(name, call.Region, "ConnectionFailed", $"{call.Action} could not reach {endpoint}: {ex.Message}");
            }
            catch (AmazonClientException ex)
            {
                throw new EstateServiceException(name, call.Region, "NoCredentials",
                    $"No AWS credentials for {call.Action}: {ex.Message} Configure the SDK's chain (AWS_PROFILE, environment, SSO, instance role) or Estate:Aws:AccessKeyId.");
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var error = await AwsError.ReadAsync(response, cancellationToken);
                if (error.Retryable && attempt < _options.MaxRetries)
                {
                    await BackoffAsync(attempt, cancellationToken);
                    continue;
                }

                throw error.ToException(name, call.Region, call.Action);
            }
        }
    }

    /// <summary>
    /// With <see cref="AwsOptions.AllowWrites"/> off, refuses a change made of several writes before any of them is sent:
    /// one <see cref="DryRunCode"/> error that lists every request, in order. Returns at once when writes are on (or no
    /// call writes), so that the caller then sends them one by one.
    /// </summary>
    /// <exception cref="EstateServiceException">Writes are off: the dry run, with the exact requests.</exception>
    public async Task ThrowIfDryRunAsync(IReadOnlyList<AwsCall> calls, CancellationToken cancellationToken)
    {
        var writes = calls.Where(c => c.Purpose == AwsPurpose.Write).ToList();
        if (_options.AllowWrites || writes.Count == 0)
        {
            return;
        }

        var requests = new List<string>(writes.Count);
        foreach (var write in writes)
        {
            using var request = write.Build(Endpoint(write.Service, write.Region));
            requests.Add(await DescribeAsync(request, cancellationToken));
        }

        var first = writes[0];
        throw new EstateServiceException(AwsServices.DisplayName(first.Service), first.Region, DryRunCode, requests.Count == 1
            ? $"Estate:Aws:AllowWrites is false, so this change was not sent (dry run). The request would have been: {requests[0]}"
            : $"Estate:Aws:AllowWrites is false, so this change of {requests.Count} requests was not sent (dry run). The requests would have been, in order: {string.Join("; ", requests.Select((r, i) => $"{i + 1}) {r}"))}");
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private HttpClient Client(AwsService service, string region, AwsPurpose purpose) =>
        _clients.GetOrAdd((service, region, purpose), key =>
        {
            var signingRegion = service == AwsService.Route53 ? "us-east-1" : region;
            var signer = new SigV4SigningHandler(_credentials.For(purpose), RegionEndpoint.GetBySystemName(signingRegion), AwsServices.SigningName(service), _transport());
            return new HttpClient(signer) { Timeout = Timeout.InfiniteTimeSpan };
        });

    private RateGate Gate(AwsService service) =>
        _gates.GetOrAdd(service, s => new RateGate(s == AwsService.Route53 ? _options.Route53RequestsPerSecond : 0, _time));

    private Task BackoffAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt));
        // Full jitter: a random wait up to the ceiling, so that many clients do not retry in step.
        double share;
        lock (_jitter)
        {
            share = 0.5 + (_jitter.NextDouble() / 2);
        }

        var wait = TimeSpan.FromMilliseconds(ceiling * share);
        return Task.Delay(wait, _time, cancellationToken);
    }

    private static async Task<string> DescribeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : " " + await request.Content.ReadAsStringAsync(cancellationToken);
        var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? $" ({string.Join(",", targets)})" : "";
        return $"{request.Method} {request.RequestUri}{target}{body}";
    }

    /// <summary>At most a given number of requests a second, on the injected clock; 0 means no limit.</summary>
    private sealed class RateGate(double perSecond, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _next = DateTimeOffset.MinValue;

        public Task WaitAsync(CancellationToken cancellationToken)
        {
            if (perSecond <= 0)
            {
                return Task.CompletedTask;
            }

            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                var slot = _next > now ? _next : now;
                _next = slot + TimeSpan.FromSeconds(1 / perSecond);
                wait = slot - now;
            }

            return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
        }
    }
}

/// <summary>An AWS error answer, read from JSON (<c>__type</c>, <c>message</c>) or XML (<c>Error/Code</c>, <c>Error/Message</c>).</summary>
public sealed record AwsError(HttpStatusCode Status, string Code, string Message)
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "PriorRequestNotComplete", "RequestThrottled", "SlowDown",
    };

    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
        "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken",
    };

    public bool Retryable => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests || ThrottlingCodes.Contains(Code);

    public bool Denied => Status == HttpStatusCode.Forbidden || DeniedCodes.Contains(Code);

    public EstateServiceException ToException(string service, string region, string action)
    {
        var advice = Denied && Code is not ("SignatureDoesNotMatch" or "IncompleteSignature")
            ? $" Grant the IAM action {action} to the console's role (or check its credentials)."
            : Retryable ? " AWS kept refusing after the retries; the console tries again on its next poll." : "";
        return new EstateServiceException(service, region, Code, $"{Message.TrimEnd('.')}. ({action}){advice}");
    }

    public static async Task<AwsError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var code = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : null;
        string? message = null;
        var trimmed = text.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(trimmed);
                var root = json.RootElement;
                code ??= Property(root, "__type") ?? Property(root, "code") ?? Property(root, "Code");
                message = Property(root, "message") ?? Property(root, "Message") ?? Property(root, "errorMessage");
            }
            else if (trimmed.StartsWith('<'))
            {
                var xml = XDocument.Parse(trimmed);
                var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                code ??= error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // Not an AWS error body (a proxy's page, say): the status says enough.
        }

        // JSON codes may carry a namespace and a suffix: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException:...".
        code = code?.Split(':')[0];
        code = code?[(code.LastIndexOf('#') + 1)..];
        return new AwsError(response.StatusCode, string.IsNullOrWhiteSpace(code) ? $"Http{(int)response.StatusCode}" : code,
            string.IsNullOrWhiteSpace(message) ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}" : message);
    }

    private static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
