using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AWorld.Aws.Tests.Shared;

/// <summary>One HTTP request as it reached the wire: method, raw path and query (as encoded by the sender), headers, body.</summary>
public sealed record CapturedRequest(string Method, string RawPath, string RawQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The query's name=value pairs as sent (still percent-encoded), sorted: their order carries no meaning to AWS.</summary>
    public IReadOnlyList<string> QueryPairs => [.. RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>The region and service of the SigV4 credential scope in the Authorization header.</summary>
    public string? SigningScope => Header("Authorization") is { } auth && auth.IndexOf("Credential=", StringComparison.Ordinal) is var i and >= 0
        ? string.Join('/', auth[(i + 11)..].Split(',')[0].Split('/')[2..4])
        : null;

    public override string ToString() => $"{Method} {RawPath}{(RawQuery.Length > 0 ? "?" + RawQuery : "")} {Body}";
}

public sealed record CannedResponse(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>An AWS error answer of the REST-JSON protocols: the code in <c>x-amzn-ErrorType</c>, the message in the body.</summary>
    public static CannedResponse Error(int status, string code, string message) =>
        new(status, System.Text.Json.JsonSerializer.Serialize(new { message })) { ErrorType = code };

    public string? ErrorType { get; init; }
}

/// <summary>
/// A loopback HTTP server that records every request and answers each with what the test's responder says: the place
/// where botocore's requests and ours are compared, and where a service moto lacks is stood in for.
/// </summary>
public sealed class CaptureServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<CapturedRequest, CannedResponse> _respond;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly Task _loop;

    public CaptureServer(Func<CapturedRequest, CannedResponse> respond)
    {
        _respond = respond;
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var raw = context.Request.RawUrl ?? "/";
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var request = new CapturedRequest(context.Request.HttpMethod, q < 0 ? raw : raw[..q], q < 0 ? "" : raw[(q + 1)..], headers, body);
            _requests.Enqueue(request);
            CannedResponse response;
            try
            {
                response = _respond(request);
            }
            catch (Exception ex)
            {
                response = new CannedResponse(500, $$"""{"message":"capture server: {{ex.Message.Replace("\"", "'", StringComparison.Ordinal)}}"}""");
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            if (response.ErrorType is { } errorType)
            {
                context.Response.Headers["x-amzn-ErrorType"] = errorType;
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
