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
        var series = report.Metrics.IsDefault ? [] : report.Metrics;
        var output = new Utf8Buffer(64 + series.Sum(s => (s.Points.IsDefault ? 0 : s.Points.Length) * (48 + s.Key.Length + s.Label.Length + s.Unit.Length)));
        output.Append("series_key,label,unit,at_utc,value\r\n"u8);
        foreach (var s in series)
        {
            // The three text fields repeat on every row; encode and quote them once.
            var prefix = new StringBuilder();
            AppendField(prefix, s.Key).Append(',');
            AppendField(prefix, s.Label).Append(',');
            AppendField(prefix, s.Unit).Append(',');
            var head = Utf8.GetBytes(prefix.ToString());
            foreach (var point in s.Points.IsDefault ? [] : s.Points)
            {
                output.Append(head);
                output.Append(point.At.UtcDateTime);
                output.Append(","u8);
                output.Append(point.Value);
                output.Append("\r\n"u8);
            }
        }

        return output.ToArray();
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

    /// <summary>UTC with seven fractional digits and a Z: <c>2026-03-02T09:00:00.0000000Z</c> (the "O" format of a UTC DateTime).</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

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
        // Source-generated metadata: no reflection, so it also works trimmed or native-compiled.
        options.TypeInfoResolver = EvidenceJsonContext.Default;
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new SecondsConverter());
        options.Converters.Add(new CompactPointConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>A growing UTF-8 byte buffer that formats numbers and times without intermediate strings.</summary>
    private sealed class Utf8Buffer(int capacity)
    {
        private byte[] _bytes = new byte[Math.Max(capacity, 256)];
        private int _length;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(_bytes.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Append(DateTime utc)
        {
            Reserve(40);
            utc.TryFormat(_bytes.AsSpan(_length), out var written, "O", CultureInfo.InvariantCulture);
            _length += written;
        }

        public void Append(double value)
        {
            Reserve(32);
            value.TryFormat(_bytes.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture);
            _length += written;
        }

        public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

        private void Reserve(int more)
        {
            if (_length + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
            }
        }
    }

    /// <summary>
    /// A metric point on one line, <c>{"at":"2026-03-02T09:00:00.0000000Z","value":99.9}</c>, even in indented
    /// output: a report holds thousands of them, and one line each halves report.json.
    /// </summary>
    private sealed class CompactPointConverter : JsonConverter<DrillMetricPoint>
    {
        public override DrillMetricPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a metric point is an object with \"at\" and \"value\"");
            }

            DateTimeOffset at = default;
            var value = double.NaN;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "at":
                        at = reader.GetDateTimeOffset();
                        break;
                    case "value":
                        value = reader.TokenType == JsonTokenType.String ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetDouble();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return new DrillMetricPoint(at, value);
        }

        public override void Write(Utf8JsonWriter writer, DrillMetricPoint value, JsonSerializerOptions options)
        {
            Span<byte> line = stackalloc byte[96];
            "{\"at\":\""u8.CopyTo(line);
            var length = 7;
            value.At.UtcDateTime.TryFormat(line[length..], out var written, "O", CultureInfo.InvariantCulture);
            length += written;
            "\",\"value\":"u8.CopyTo(line[length..]);
            length += 10;
            if (double.IsFinite(value.Value))
            {
                value.Value.TryFormat(line[length..], out written, "R", CultureInfo.InvariantCulture);
            }
            else
            {
                // As AllowNamedFloatingPointLiterals writes them elsewhere in the report.
                written = Encoding.UTF8.GetBytes($"\"{value.Value.ToString(CultureInfo.InvariantCulture)}\"", line[length..]);
            }

            length += written;
            line[length++] = (byte)'}';
            writer.WriteRawValue(line[..length], skipInputValidation: true);
        }
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

[JsonSerializable(typeof(DrillReport))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(EvidenceManifest))]
internal sealed partial class EvidenceJsonContext : JsonSerializerContext;
