using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AWorld.Cli.Watch;

/// <summary>The outcome of a sign-in: a bearer token and when it expires, or a message for the person at the terminal.</summary>
internal sealed record SignInOutcome(string? Token, DateTimeOffset ExpiresAt, string? Error)
{
    public static SignInOutcome Fail(string error) => new(null, default, error);
}

/// <summary>A sign-in that failed while the hub connection asked for a fresh token (for example on a reconnect).</summary>
internal sealed class SignInFailedException(string message) : Exception(message);

/// <summary>
/// Gets bearer tokens from <c>POST /api/auth/token</c> and keeps the current one, signing in again shortly before it
/// expires so that a reconnect after an hour still succeeds. Not thread-safe beyond what SignalR needs: the hub
/// connection asks for a token once per (re)connect, never concurrently.
/// </summary>
internal sealed class TokenClient(HttpClient http, Uri baseUrl, string displayUrl, string user, string password, TimeProvider time)
{
    /// <summary>A token this close to expiry is replaced rather than sent.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private SignInOutcome? _current;

    public async Task<SignInOutcome> SignInAsync(CancellationToken cancellationToken)
    {
        var outcome = await RequestAsync(cancellationToken);
        if (outcome.Error is null)
        {
            _current = outcome;
        }

        return outcome;
    }

    /// <summary>The hub connection's <c>AccessTokenProvider</c>: the current token, or a fresh one near expiry.</summary>
    public async Task<string?> AccessTokenAsync()
    {
        if (_current is { Token: { } token } current && current.ExpiresAt - time.GetUtcNow() > RenewBefore)
        {
            return token;
        }

        var outcome = await SignInAsync(CancellationToken.None);
        return outcome.Token ?? throw new SignInFailedException(outcome.Error!);
    }

    private async Task<SignInOutcome> RequestAsync(CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri(baseUrl, "api/auth/token"), new TokenRequest(user, password), WatchJson.Default.TokenRequest, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return SignInOutcome.Fail($"cannot reach {displayUrl}: {Reason(ex)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SignInOutcome.Fail($"cannot reach {displayUrl}: no answer within {http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return SignInOutcome.Fail($"wrong user name or password for '{user}'.");
            }

            if (!response.IsSuccessStatusCode)
            {
                var message = await ErrorMessageAsync(response, cancellationToken);
                return response.StatusCode == HttpStatusCode.TooManyRequests
                    ? SignInOutcome.Fail(message ?? "too many failed sign-ins; try again later.")
                    : SignInOutcome.Fail($"sign-in at {displayUrl} failed with HTTP {(int)response.StatusCode}{(message is null ? "." : ": " + message)}");
            }

            TokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(WatchJson.Default.TokenResponse, cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?.AccessToken is not { Length: > 0 } token)
            {
                return SignInOutcome.Fail($"{displayUrl} answered the sign-in without an access token; is it an AWorld Console?");
            }

            return new SignInOutcome(token, time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(body.ExpiresIn, 0)), null);
        }
    }

    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(WatchJson.Default.ErrorResponse, cancellationToken);
            return string.IsNullOrWhiteSpace(error?.Error) ? null : error.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The useful part of a connection failure: "Connection refused (host:port)", a DNS or TLS error.</summary>
    internal static string Reason(HttpRequestException ex) =>
        ex.InnerException is { } inner && ex.Message.Contains("inner exception", StringComparison.OrdinalIgnoreCase)
            ? inner.Message
            : ex.Message;
}

internal sealed record TokenRequest(string Username, string Password);

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record ErrorResponse(string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class WatchJson : JsonSerializerContext;
