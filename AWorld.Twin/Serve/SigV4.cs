using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>The credential scope of a SigV4 signature: whose key, which day, region and service (the signing name).</summary>
internal sealed record SigV4Scope(string AccessKeyId, string Date, string Region, string Service);

/// <summary>Why a request's signature was refused; each maps to AWS's error code of the protocol it came in.</summary>
internal enum SignatureProblem
{
    None,

    /// <summary>No Authorization header (MissingAuthenticationToken).</summary>
    Missing,

    /// <summary>An Authorization header without a part AWS needs (IncompleteSignature).</summary>
    Incomplete,

    /// <summary>Signed with an access key the twin does not know (UnrecognizedClient / InvalidClientTokenId).</summary>
    UnknownKey,

    /// <summary>Signed with the wrong secret, or the request changed after signing (SignatureDoesNotMatch).</summary>
    Mismatch,

    /// <summary>Signed more than 15 minutes from the server's time.</summary>
    Expired,
}

/// <summary>The verdict on a request's signature, and the scope it named (null when it named none).</summary>
internal sealed record SignatureCheck(SignatureProblem Problem, SigV4Scope? Scope, string Message)
{
    public bool Valid => Problem == SignatureProblem.None;
}

/// <summary>
/// Verifies AWS Signature Version 4 (Authorization header) as AWS does: recomputes the canonical request from the
/// method, the path as sent (URI-encoded once more, as every service but S3 signs it), the query string (decoded,
/// re-encoded and sorted), the signed headers and the payload's SHA-256, then the string to sign and the HMAC chain
/// of <see cref="TwinCredentials.SecretAccessKey"/>, and compares in constant time. Any region is accepted.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public const string MismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Checks <paramref name="request"/>, whose raw request target is <paramref name="rawTarget"/> and whole body <paramref name="body"/>, at the real time <paramref name="now"/>.</summary>
    public static SignatureCheck Verify(HttpRequest request, string rawTarget, byte[] body, DateTimeOffset now)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return new(SignatureProblem.Missing, null, "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return new(SignatureProblem.Incomplete, null, $"Unsupported AWS 'algorithm': the Authorization header must start with '{Algorithm}'.");
        }

        var parts = ParseParts(authorization[(Algorithm.Length + 1)..]);
        var scope = parts.TryGetValue("Credential", out var credential) ? ParseScope(credential) : null;
        if (scope is null || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return new(SignatureProblem.Incomplete, scope,
                "Authorization header requires 'Credential' (KEY/DATE/REGION/SERVICE/aws4_request), 'Signature' and 'SignedHeaders' parameters.");
        }

        if (scope.AccessKeyId != TwinCredentials.AccessKeyId)
        {
            return new(SignatureProblem.UnknownKey, scope, "The security token included in the request is invalid.");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return new(SignatureProblem.Incomplete, scope, "Authorization header requires existence of a valid 'X-Amz-Date' header (yyyyMMddTHHmmssZ).");
        }

        if (!amzDate.StartsWith(scope.Date, StringComparison.Ordinal))
        {
            return new(SignatureProblem.Mismatch, scope, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope.Date}' != '{amzDate[..8]}'.");
        }

        if ((signedAt - now).Duration() > MaxSkew)
        {
            return new(SignatureProblem.Expired, scope,
                $"Signature expired: {amzDate} is now earlier or later than {now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)} by more than 15 minutes.");
        }

        var bodyHash = Hex(SHA256.HashData(body));
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0)
        {
            payloadHash = bodyHash;
        }
        else if (payloadHash != "UNSIGNED-PAYLOAD" && !string.Equals(payloadHash, bodyHash, StringComparison.OrdinalIgnoreCase))
        {
            return new(SignatureProblem.Mismatch, scope, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var canonical = CanonicalRequest(request, rawTarget, signedHeaders, payloadHash);
        var credentialScope = $"{scope.Date}/{scope.Region}/{scope.Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var expected = Hex(Hmac(SigningKey(TwinCredentials.SecretAccessKey, scope), stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()))
            ? new(SignatureProblem.None, scope, "")
            : new(SignatureProblem.Mismatch, scope, MismatchMessage);
    }

    /// <summary>The canonical request of SigV4, from the request as it arrived.</summary>
    public static string CanonicalRequest(HttpRequest request, string rawTarget, string signedHeaders, string payloadHash)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? "" : rawTarget[(q + 1)..];
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(rawPath.Length == 0 ? "/" : Encode(rawPath, keepSlash: true)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            var values = request.Headers[name].Select(v => CollapseSpaces((v ?? "").Trim()));
            builder.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secret, SigV4Scope scope)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scope.Date);
        key = Hmac(key, scope.Region);
        key = Hmac(key, scope.Service);
        return Hmac(key, "aws4_request");
    }

    /// <summary>The scope named by an Authorization header, even one whose signature is wrong or incomplete (to answer in the right protocol).</summary>
    public static SigV4Scope? ScopeOf(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        return ParseParts(authorization[(Algorithm.Length + 1)..]).TryGetValue("Credential", out var credential) ? ParseScope(credential) : null;
    }

    private static Dictionary<string, string> ParseParts(string text)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        return parts;
    }

    private static SigV4Scope? ParseScope(string credential)
    {
        var p = credential.Split('/');
        return p.Length == 5 && p[4] == "aws4_request" && p[1].Length == 8 && p.All(s => s.Length > 0) ? new SigV4Scope(p[0], p[1], p[2], p[3]) : null;
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : pair[(eq + 1)..];
                return (Key: Encode(Uri.UnescapeDataString(key), keepSlash: false), Value: Encode(Uri.UnescapeDataString(value), keepSlash: false));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: every byte but A–Z a–z 0–9 - _ . ~ (and / when kept) as %XX.</summary>
    private static string Encode(string text, bool keepSlash)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                if (!space)
                {
                    builder.Append(c);
                }

                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
