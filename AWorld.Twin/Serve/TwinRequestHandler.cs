using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AWorld.Twin.Serve;

/// <summary>
/// The served twin's one endpoint: <c>/_twin/…</c> goes to <see cref="TwinControl"/> (loopback, unsigned); every other
/// request must carry a valid SigV4 signature of <see cref="TwinCredentials"/>, and goes to the service its credential
/// scope names (<c>monitoring</c>, <c>route53</c>, <c>dynamodb</c>, <c>ssm</c>, <c>kms</c>, <c>fis</c>, <c>apigateway</c>,
/// <c>lambda</c>, <c>sts</c>) for the region it names. A refusal or failure answers in the service's own error shape;
/// a request without a usable scope is answered in the shape its headers, body or path suggest.
/// </summary>
internal sealed class TwinRequestHandler
{
    private const int MaxBody = 1 << 20;

    private readonly Dictionary<string, IServedService> _services;
    private readonly TwinControl _control;
    private readonly TimeProvider _time;
    private readonly ILogger<TwinRequestHandler> _logger;

    /// <summary>Serves <paramref name="services"/>; <paramref name="time"/> is the real clock, as signatures are dated in real time whatever the estate clock's speed.</summary>
    public TwinRequestHandler(IEnumerable<IServedService> services, TwinControl control, TimeProvider time, ILogger<TwinRequestHandler> logger)
    {
        _services = services.ToDictionary(s => s.SigningName, StringComparer.Ordinal);
        _control = control;
        _time = time;
        _logger = logger;
    }

    /// <summary>The signing names served, in a stable order (for help texts and errors).</summary>
    public IEnumerable<string> SigningNames => _services.Keys.Order(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/_twin"))
        {
            await _control.HandleAsync(http);
            return;
        }

        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        var body = await ReadBodyAsync(http.Request);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var check = SigV4.Verify(http.Request, rawTarget, body, _time.GetUtcNow());
        var signingName = check.Scope?.Service ?? Sniff(http.Request, body);
        _services.TryGetValue(signingName ?? "", out var service);
        var dialect = service?.DialectOf(http.Request) ?? SniffDialect(http.Request, body);
        if (!check.Valid)
        {
            Log.SignatureRefused(_logger, method, path, check.Problem, check.Message);
            await AwsWire.WriteErrorAsync(http, dialect with { ErrorTypePrefix = "com.amazon.coral.service#" }, new AwsErrorException(403, Code(check.Problem, dialect), check.Message));
            return;
        }

        if (service is null)
        {
            await AwsWire.WriteErrorAsync(http, dialect, AwsErrorException.BadRequest("UnrecognizedServiceException",
                $"aworld twin serve does not serve '{signingName}'; it serves {string.Join(", ", SigningNames)} (the signing name of the credential scope chooses)."));
            return;
        }

        try
        {
            await service.HandleAsync(new AwsCall(http, check.Scope!.Region, body, dialect));
            Log.Served(_logger, service.SigningName, check.Scope.Region, method, path, http.Response.StatusCode);
        }
        catch (AwsErrorException e)
        {
            Log.Refused(_logger, service.SigningName, check.Scope!.Region, method, path, e.Status, e.Code, e.Message);
            await AwsWire.WriteErrorAsync(http, dialect, e);
        }
        catch (EstateServiceException e)
        {
            var error = AwsErrorException.From(e);
            Log.Refused(_logger, service.SigningName, check.Scope!.Region, method, path, error.Status, error.Code, error.Message);
            await AwsWire.WriteErrorAsync(http, dialect, error);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            Log.Failed(_logger, service.SigningName, method, path, e);
            await AwsWire.WriteErrorAsync(http, dialect, new AwsErrorException(500, "InternalFailure", "The served twin failed: " + e.Message));
        }
    }

    /// <summary>AWS's error code for a refused signature: the query-era name for query, REST-XML and CloudWatch, the JSON services' name otherwise.</summary>
    public static string Code(SignatureProblem problem, WireDialect dialect)
    {
        var queryStyle = dialect.Protocol is WireProtocol.AwsQuery or WireProtocol.RestXml || dialect.QueryCompatible;
        return problem switch
        {
            SignatureProblem.Missing => queryStyle ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
            SignatureProblem.Incomplete => queryStyle ? "IncompleteSignature" : "IncompleteSignatureException",
            SignatureProblem.UnknownKey => queryStyle ? "InvalidClientTokenId" : "UnrecognizedClientException",
            _ => queryStyle ? "SignatureDoesNotMatch" : "InvalidSignatureException",
        };
    }

    /// <summary>The service a request without a usable credential scope is most likely for.</summary>
    public static string? Sniff(HttpRequest request, byte[] body)
    {
        var target = request.Headers["x-amz-target"].ToString();
        if (target.Length > 0)
        {
            return target.Split('.')[0] switch
            {
                "GraniteServiceVersion20100801" => "monitoring",
                "DynamoDB_20120810" => "dynamodb",
                "AmazonSSM" => "ssm",
                "TrentService" => "kms",
                _ => null,
            };
        }

        var path = request.Path.Value ?? "";
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            return AwsWire.ParseForm(body).GetValueOrDefault("Version") == "2011-06-15" ? "sts" : "monitoring";
        }

        return path switch
        {
            _ when path.StartsWith("/2013-04-01/", StringComparison.Ordinal) => "route53",
            _ when path.StartsWith("/experiment", StringComparison.Ordinal) => "fis",
            _ when path.StartsWith("/usageplans", StringComparison.Ordinal) || path.StartsWith("/apikeys", StringComparison.Ordinal) => "apigateway",
            _ when path.StartsWith("/2017-10-31/", StringComparison.Ordinal) || path.StartsWith("/2019-09-30/", StringComparison.Ordinal) || path.StartsWith("/2015-03-31/", StringComparison.Ordinal) => "lambda",
            _ => null,
        };
    }

    private static WireDialect SniffDialect(HttpRequest request, byte[] body) =>
        request.Headers.ContainsKey("x-amz-target") ? new WireDialect(WireProtocol.AwsJson11)
        : AwsWire.ParseForm(body).ContainsKey("Action") ? new WireDialect(WireProtocol.AwsQuery, XmlNamespace: CloudWatchService.Namespace)
        : new WireDialect(WireProtocol.RestJson);

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBody)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
