using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// The REST-JSON protocol of API Gateway, Lambda and FIS, as botocore speaks it: labels percent-encoded into the path,
/// query strings with <c>%20</c> for spaces, bodies as <c>application/json</c> without a charset, timestamps read as
/// epoch seconds (AWS's form) or ISO 8601 strings (both of which botocore accepts).
/// </summary>
internal static class RestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new TimestampConverter() },
    };

    /// <summary>A request relative to the service endpoint: <paramref name="path"/> already encoded (see <see cref="Label"/>).</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri endpoint, string path, IEnumerable<(string Name, string? Value)>? query = null, object? body = null)
    {
        var pairs = (query ?? []).Where(q => q.Value is not null).Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value!)}").ToList();
        var relative = path.TrimStart('/') + (pairs.Count > 0 ? "?" + string.Join('&', pairs) : "");
        var request = new HttpRequestMessage(method, new Uri(endpoint, relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Options));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>A path label: every character but the unreserved ones percent-encoded (an ARN's colons too), as botocore does.</summary>
    public static string Label(string value) => Uri.EscapeDataString(value);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (bytes.Length == 0 ? default : JsonSerializer.Deserialize<T>(bytes, Options))
                ?? JsonSerializer.Deserialize<T>("{}"u8, Options)!;
        }
    }

    /// <summary>Epoch seconds (with a fraction) as AWS sends them, or an ISO 8601 string; written as epoch seconds.</summary>
    private sealed class TimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerSecond))
                : reader.GetString() is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond))
                    : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue((value - DateTimeOffset.UnixEpoch).TotalSeconds);
    }
}
