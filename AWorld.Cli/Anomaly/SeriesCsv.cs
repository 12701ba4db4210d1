using System.Globalization;

namespace AWorld.Cli.Anomaly;

/// <summary>One series read from a <c>timestamp,value</c> CSV file: the original text of each field and the parsed values.</summary>
internal sealed record SeriesFile(string[] TimestampText, string[] ValueText, DateTimeOffset[] Timestamps, double[] Values)
{
    public int Count => Values.Length;
}

/// <summary>The outcome of reading a series file: the series, or a problem naming the file and line.</summary>
internal readonly record struct SeriesRead(SeriesFile? Series, string? Problem, string? Warning = null);

/// <summary>
/// Reads <c>timestamp,value</c> CSV files (header required, columns found by name, invariant culture, timestamps
/// such as <c>2014-04-01 00:00:00</c> taken as UTC, in non-decreasing order). A step back of at most an hour is
/// accepted with a warning: local clocks write an hour twice when daylight saving ends, and real series (NAB's
/// machine temperature among them) carry such repeats.
/// </summary>
internal static class SeriesCsv
{
    private static readonly TimeSpan RepeatedHour = TimeSpan.FromHours(1);

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>Reads <paramref name="path"/>; <paramref name="display"/> is how messages name the file.</summary>
    public static SeriesRead Read(string path, string display)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(display, 0, $"cannot be read: {ex.Message}");
        }

        return Parse(lines, display);
    }

    public static SeriesRead Parse(IReadOnlyList<string> lines, string display)
    {
        if (lines.Count == 0 || string.IsNullOrWhiteSpace(lines[0]))
        {
            return Fail(display, 1, "the file is empty; expected a header 'timestamp,value' and one row per point");
        }

        var header = lines[0].Split(',');
        var timeColumn = Column(header, "timestamp");
        var valueColumn = Column(header, "value");
        if (timeColumn < 0 || valueColumn < 0)
        {
            var missing = timeColumn < 0 ? "timestamp" : "value";
            return Fail(display, 1, $"no '{missing}' column in header '{lines[0]}'; expected columns 'timestamp' and 'value'");
        }

        var columns = Math.Max(timeColumn, valueColumn) + 1;
        var timeText = new List<string>(lines.Count);
        var valueText = new List<string>(lines.Count);
        var times = new List<DateTimeOffset>(lines.Count);
        var values = new List<double>(lines.Count);
        string? warning = null;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0 && i == lines.Count - 1)
            {
                break;
            }

            var fields = line.Split(',');
            if (fields.Length < columns)
            {
                return Fail(display, number, $"has {fields.Length} field(s); the header has {header.Length}");
            }

            var timestamp = fields[timeColumn].Trim();
            if (!TryParseTime(timestamp, out var at))
            {
                return Fail(display, number, $"timestamp '{timestamp}' is not a time like 2014-04-01 00:00:00");
            }

            if (times.Count > 0 && at < times[^1] && times[^1] - at <= RepeatedHour)
            {
                warning ??= $"{display} line {number}: timestamp '{timestamp}' steps back to before '{timeText[^1]}' (a repeated clock hour); scored in file order";
            }
            else if (times.Count > 0 && at < times[^1])
            {
                return Fail(display, number, $"timestamp '{timestamp}' is earlier than the previous row's '{timeText[^1]}'; rows must be in time order");
            }

            var text = fields[valueColumn].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                return Fail(display, number, $"value '{text}' is not a number");
            }

            timeText.Add(timestamp);
            valueText.Add(text);
            times.Add(at);
            values.Add(value);
        }

        if (values.Count == 0)
        {
            return Fail(display, 2, "the file has a header but no data rows");
        }

        return new SeriesRead(new SeriesFile([.. timeText], [.. valueText], [.. times], [.. values]), null, warning);
    }

    private static int Column(string[] header, string name) =>
        Array.FindIndex(header, h => string.Equals(h.Trim().Trim('"'), name, StringComparison.OrdinalIgnoreCase));

    private static bool TryParseTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    private static SeriesRead Fail(string display, int line, string problem) =>
        new(null, line > 0 ? $"{display} line {line}: {problem}" : $"{display}: {problem}");
}
