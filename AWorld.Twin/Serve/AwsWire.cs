using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>The wire protocols of the served services: how a request is read and an answer (or an error) written.</summary>
internal enum WireProtocol
{
    /// <summary>POST /, <c>X-Amz-Target: Prefix.Operation</c>, body and answer <c>application/x-amz-json-1.0</c>.</summary>
    AwsJson10,

    /// <summary>As <see cref="AwsJson10"/> with <c>application/x-amz-json-1.1</c>.</summary>
    AwsJson11,

    /// <summary>POST / with a form body (<c>Action=…&amp;Version=…</c>), XML answers.</summary>
    AwsQuery,

    /// <summary>Resources in the path, XML bodies (Route 53).</summary>
    RestXml,

    /// <summary>Resources in the path, JSON bodies, the error code in <c>x-amzn-ErrorType</c> (FIS, API Gateway, Lambda).</summary>
    RestJson,
}

/// <summary>
/// How one service speaks: its protocol, the prefix of JSON error types, the XML namespace of query and REST-XML
/// answers, and whether a JSON error also carries the query error code (<c>x-amzn-query-error</c>, CloudWatch).
/// </summary>
internal sealed record WireDialect(WireProtocol Protocol, string ErrorTypePrefix = "", string XmlNamespace = "", bool QueryCompatible = false)
{
    public bool IsJsonRpc => Protocol is WireProtocol.AwsJson10 or WireProtocol.AwsJson11;
}

/// <summary>
/// An AWS error answer: HTTP status, AWS error code and message. Thrown by the served services, written by
/// <see cref="AwsWire.WriteErrorAsync"/> in the shape of the protocol the request came in.
/// </summary>
public sealed class AwsErrorException : Exception
{
    public AwsErrorException(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public AwsErrorException()
        : this(500, "InternalFailure", "The served twin failed.")
    {
    }

    public AwsErrorException(string message)
        : this(400, "ValidationException", message)
    {
    }

    public AwsErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Code = "InternalFailure";
    }

    public int Status { get; }

    public string Code { get; }

    /// <summary>Whether the caller is at fault (4xx: Sender) or the service (5xx: Receiver).</summary>
    public bool IsSenderFault => Status < 500;

    public static AwsErrorException BadRequest(string code, string message) => new(400, code, message);

    public static AwsErrorException NotFound(string code, string message) => new(404, code, message);

    /// <summary>
    /// A twin port's failure as the service answers it: an unavailable region 503, anything else with the status the
    /// service gives that code (<paramref name="statusOf"/>, 400 when it knows none), <paramref name="rename"/> translating
    /// a twin code to the service's own where they differ.
    /// </summary>
    public static AwsErrorException From(EstateServiceException e, Func<string, int?>? statusOf = null, Func<string, string>? rename = null)
    {
        var message = e.Message;
        var marker = $": {e.ErrorCode}: ";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            message = message[(at + marker.Length)..];
        }

        var code = rename?.Invoke(e.ErrorCode) ?? e.ErrorCode;
        var status = e.ErrorCode == "ServiceUnavailable" ? 503 : statusOf?.Invoke(e.ErrorCode) ?? 400;
        return new AwsErrorException(status, code, message);
    }
}

/// <summary>Reading requests and writing answers in AWS's wire formats.</summary>
internal static class AwsWire
{
    private static long _requestIds;

    /// <summary>A request id shaped like AWS's (a UUID), counting up from the start.</summary>
    public static string NextRequestId() =>
        $"7a1f0000-0000-4000-8000-{Interlocked.Increment(ref _requestIds):x12}";

    public static string ContentType(WireProtocol protocol) => protocol switch
    {
        WireProtocol.AwsJson10 => "application/x-amz-json-1.0",
        WireProtocol.AwsJson11 => "application/x-amz-json-1.1",
        WireProtocol.RestJson => "application/json",
        _ => "text/xml",
    };

    public static async Task WriteJsonAsync(HttpContext http, WireProtocol protocol, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType(protocol);
        http.Response.Headers["x-amzn-RequestId"] = NextRequestId();
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    public static async Task WriteXmlAsync(HttpContext http, XElement body, int status = 200)
    {
        var requestId = NextRequestId();
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        await http.Response.WriteAsync(Serialize(body), http.RequestAborted);
    }

    /// <summary>A query-protocol answer: <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;…&lt;/…&gt;&lt;ResponseMetadata/&gt;</c>.</summary>
    public static XElement QueryResponse(string ns, string action, params object?[] result)
    {
        XNamespace x = ns;
        return new XElement(x + (action + "Response"),
            new XElement(x + (action + "Result"), result),
            new XElement(x + "ResponseMetadata", new XElement(x + "RequestId", NextRequestId())));
    }

    /// <summary>Writes <paramref name="error"/> as the protocol's error answer.</summary>
    public static async Task WriteErrorAsync(HttpContext http, WireDialect dialect, AwsErrorException error)
    {
        var requestId = NextRequestId();
        http.Response.StatusCode = error.Status;
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var type = error.IsSenderFault ? "Sender" : "Receiver";
        switch (dialect.Protocol)
        {
            case WireProtocol.AwsJson10 or WireProtocol.AwsJson11:
                http.Response.ContentType = ContentType(dialect.Protocol);
                if (dialect.QueryCompatible)
                {
                    http.Response.Headers["x-amzn-query-error"] = $"{error.Code};{type}";
                }

                await http.Response.WriteAsync(new JsonObject { ["__type"] = dialect.ErrorTypePrefix + error.Code, ["message"] = error.Message }.ToJsonString(), http.RequestAborted);
                break;
            case WireProtocol.RestJson:
                http.Response.ContentType = "application/json";
                http.Response.Headers["x-amzn-ErrorType"] = error.Code;
                await http.Response.WriteAsync(new JsonObject { ["message"] = error.Message }.ToJsonString(), http.RequestAborted);
                break;
            default:
                XNamespace x = dialect.XmlNamespace;
                var body = new XElement(x + "ErrorResponse",
                    new XElement(x + "Error", new XElement(x + "Type", type), new XElement(x + "Code", error.Code), new XElement(x + "Message", error.Message)),
                    new XElement(x + "RequestId", requestId));
                http.Response.ContentType = "text/xml";
                await http.Response.WriteAsync(Serialize(body), http.RequestAborted);
                break;
        }
    }

    /// <summary>A JSON body as an object; an empty body is an empty object.</summary>
    public static JsonObject ParseJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw AwsErrorException.BadRequest("SerializationException", "The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw AwsErrorException.BadRequest("SerializationException", $"The request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>An XML body, with DTDs refused.</summary>
    public static XElement ParseXml(byte[] body)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw AwsErrorException.BadRequest("InvalidInput", $"The request body is not valid XML: {e.Message}");
        }
    }

    /// <summary>A form-encoded body (the query protocol's parameters), later keys winning.</summary>
    public static Dictionary<string, string> ParseForm(byte[] body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            form[Decode(key)] = Decode(value);
        }

        return form;

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    /// <summary>Epoch seconds, as JSON protocols write timestamps (fractions kept to the millisecond).</summary>
    public static JsonNode Epoch(DateTimeOffset t) =>
        t.ToUnixTimeMilliseconds() % 1000 == 0 ? JsonValue.Create(t.ToUnixTimeSeconds()) : JsonValue.Create(t.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>ISO 8601 in UTC with milliseconds, as XML protocols write timestamps.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A timestamp as clients send it: epoch seconds (a JSON number or a numeric string) or ISO 8601.</summary>
    public static bool TryTimestamp(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        if (node is JsonValue v && v.TryGetValue<double>(out var seconds))
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            return true;
        }

        return node is JsonValue s && s.TryGetValue<string>(out var text) && TryTimestamp(text, out value);
    }

    public static bool TryTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>A double as AWS writes it in XML: the shortest text that reads back as the same value.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string? String(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? Bool(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static long? Long(this JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) ? (long)d : null;

    public static string Required(this JsonObject o, string name, string code = "ValidationException") =>
        o.String(name) is { Length: > 0 } s ? s : throw AwsErrorException.BadRequest(code, $"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    private static string Serialize(XElement body)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        builder.Append(body.ToString(SaveOptions.DisableFormatting));
        return builder.ToString();
    }
}
