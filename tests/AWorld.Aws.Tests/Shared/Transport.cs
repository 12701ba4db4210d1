using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AWorld.Aws.Http;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Shared;

/// <summary>A request as it left our stack (signed), for the tests to read.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The innermost handler of <see cref="AwsHttp"/> in tests: records every request, then passes it on (to moto) or answers it (a scripted service).</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly Func<RecordedRequest, HttpResponseMessage>? _answer;

    /// <summary>Records and sends to the network (moto on loopback).</summary>
    public RecordingHandler()
        : base(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
    }

    /// <summary>Records and answers with <paramref name="answer"/>; nothing goes to the network.</summary>
    public RecordingHandler(Func<RecordedRequest, HttpResponseMessage> answer)
        : base(new SocketsHttpHandler())
    {
        _answer = answer;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[name] = string.Join(",", values);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        Requests.Enqueue(recorded);
        return _answer is null ? await base.SendAsync(request, cancellationToken) : _answer(recorded);
    }

    public static HttpResponseMessage Answer(HttpStatusCode status, string body, string? contentType = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        if (contentType is not null)
        {
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        return response;
    }
}

public static class TestAws
{
    /// <summary>Our signed HTTP stack over <paramref name="transport"/>, as the adapters use it.</summary>
    public static AwsHttp Http(AwsOptions options, HttpMessageHandler transport, TimeProvider? time = null) =>
        new(options, new AwsCredentials(Options.Create(options)), time ?? TimeProvider.System, () => transport);

    /// <summary>Options that point every service at <paramref name="endpoint"/> with the fixed test keys, one attempt a call.</summary>
    public static AwsOptions OptionsFor(Uri endpoint, bool allowWrites = true) => new()
    {
        AllowWrites = allowWrites,
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        Endpoints = Enum.GetValues<AwsService>().ToDictionary(s => s, _ => endpoint.ToString()),
        MaxRetries = 0,
    };

    /// <summary>The signed HTTP client over <paramref name="options"/>, on the real clock (its timeouts), over the network.</summary>
    public static AwsHttp Http(AwsOptions options) => new(Options.Create(options), new AwsCredentials(Options.Create(options)), TimeProvider.System);

    /// <summary>Options for a scripted service: fixed keys, AWS's own endpoints (nothing leaves the process), writes on.</summary>
    public static AwsOptions Scripted() => new()
    {
        AllowWrites = true,
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        MaxRetries = 0,
        Route53RequestsPerSecond = 0,
    };
}
