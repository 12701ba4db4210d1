using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>One verified request to a served service: who it is for (the signature's region) and its body.</summary>
internal sealed record AwsCall(HttpContext Http, string Region, byte[] Body, WireDialect Dialect)
{
    public HttpRequest Request => Http.Request;

    public string Method => Http.Request.Method;

    /// <summary>The decoded path, without the query.</summary>
    public string Path => Http.Request.Path.Value is { Length: > 0 } p ? p : "/";

    /// <summary>The operation named by <c>X-Amz-Target</c> (after the service's prefix), or null.</summary>
    public string? TargetOperation =>
        Http.Request.Headers["x-amz-target"].ToString() is { Length: > 0 } t && t.LastIndexOf('.') is var dot and >= 0 ? t[(dot + 1)..] : null;

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public Task JsonAsync(JsonNode body, int status = 200) => AwsWire.WriteJsonAsync(Http, Dialect.Protocol, body, status);

    public Task XmlAsync(System.Xml.Linq.XElement body, int status = 200) => AwsWire.WriteXmlAsync(Http, body, status);

    /// <summary>The path's segments after <paramref name="prefix"/>, or null when it does not start with it.</summary>
    public string[]? Segments(string prefix) =>
        Path.StartsWith(prefix, StringComparison.Ordinal) ? Path[prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries) : null;

    public AwsErrorException UnknownOperation() =>
        new(404, "UnknownOperationException", $"The served twin has no operation {Method} {Path}{(TargetOperation is { } op ? " " + op : "")}.");
}

/// <summary>A service the twin serves over AWS's protocol for it, chosen by the signing name of a request's credential scope.</summary>
internal interface IServedService
{
    /// <summary>The service's name in SigV4 credential scopes, e.g. <c>monitoring</c>.</summary>
    string SigningName { get; }

    /// <summary>How the request is spoken (a service may accept two protocols, as CloudWatch does).</summary>
    WireDialect DialectOf(HttpRequest request);

    /// <summary>Answers the call, or throws <see cref="AwsErrorException"/> (or a port's <see cref="Core.Estate.EstateServiceException"/>) for an error.</summary>
    Task HandleAsync(AwsCall call);
}
