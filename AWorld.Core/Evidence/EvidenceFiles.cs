using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Drills;

namespace AWorld.Core.Evidence;

/// <summary>
/// The text files of an evidence pack: report.json, timeline.csv, metrics.csv and audit.jsonl. Every format is
/// fixed (invariant culture, UTC, round-trip numbers, LF-free CSV rows end in CRLF as RFC 4180 says) so the same
/// report gives the same bytes.
/// </summary>
internal static class EvidenceFiles
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>camelCase, enums as strings, TimeSpans as seconds; indented for people reading the pack.</summary>
    public static readonly JsonSerializerOptions Json = CreateOptions(indented: true);

    /// <summary>The same rules on one line (audit.jsonl).</summary>
    public static readonly JsonSerializerOptions JsonLine = CreateOptions(indented: false);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] ReportJson(DrillReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Json);

    public static byte[] TimelineCsv(DrillReport report)
    {
        var text = new StringBuilder("at_utc,kind,description,actor\r\n");
        foreach (var e in report.Timeline.IsDefault ? [] : report.Timeline)
        {
            text.Append(Timestamp(e.At)).Append(',');
            AppendField(text, e.Kind).Append(',');
            AppendField(text, e.Description).Append(',');
            AppendField(text, e.Actor ?? "").Append("\r\n");
        }

        return Utf8.GetBytes(text.ToString());
    }

    public static byte[] MetricsCsv(DrillReport report)
    {
        var points = report.Metrics.IsDefault ? 0 : report.Metrics.Sum(s => s.Points.IsDefault ? 0 : s.Points.Length);
        var text = new StringBuilder(64 + (points * 72));
        text.Append("series_key,label,unit,at_utc,value\r\n");
        Span<char> number = stackalloc char[32];
        foreach (var series in report.Metrics.IsDefault ? [] : report.Metrics)
        {
            // The three text fields repeat on every row; quote them once.
            var prefix = new StringBuilder();
            AppendField(prefix, series.Key).Append(',');
            AppendField(prefix, series.Label).Append(',');
            AppendField(prefix, series.Unit).Append(',');
            var head = prefix.ToString();
            foreach (var point in series.Points.IsDefault ? [] : series.Points)
            {
                text.Append(head).Append(Timestamp(point.At)).Append(',');
                point.Value.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture);
                text.Append(number[..written]).Append("\r\n");
            }
        }

        return Utf8.GetBytes(text.ToString());
    }

    public static byte[] AuditJsonl(IReadOnlyList<AuditEntry> audit)
    {
        using var buffer = new MemoryStream(audit.Count * 400);
        foreach (var entry in audit)
        {
            JsonSerializer.Serialize(buffer, entry, JsonLine);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled.</summary>
    private static StringBuilder AppendField(StringBuilder text, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return text.Append(value);
        }

        return text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            // Keep text as written (no \u escapes for quotes or non-ASCII names); the files are never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new SecondsConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>A TimeSpan as its total seconds (a JSON number), which reads the same in every language.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.TotalSeconds);
    }
}
