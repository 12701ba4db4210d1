using System.Globalization;

namespace AWorld.Core;

/// <summary>
/// How durations, numbers and times read for people, in one place for the console, the CLI, the report and its PDF:
/// invariant culture, short units, always UTC. Each member shows its form by example; the forms differ where the
/// places they serve differ (a report sentence keeps tenths of a second, a live table whole seconds, the PDF every
/// unit), and each is used for its kind of value everywhere. The members taking null show <see cref="None"/> for it.
/// Sentences keep the invariant "P" format of a ratio ("99.5 %"); tables and columns use <see cref="Percent(double, int)"/>.
/// </summary>
public static class Formats
{
    /// <summary>What the console shows where there is no value.</summary>
    public const string None = "—";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A duration in a report or a drill view: "0.4 s" (tenths under 10 s), "12 s", "3 min 12 s", "26 h 5 min".</summary>
    public static string Duration(TimeSpan span) =>
        span < TimeSpan.FromSeconds(10) ? span.TotalSeconds.ToString("0.0", Inv) + " s"
        : span < TimeSpan.FromMinutes(1) ? span.TotalSeconds.ToString("0", Inv) + " s"
        : span < TimeSpan.FromHours(1) ? string.Create(Inv, $"{(int)span.TotalMinutes} min {span.Seconds} s")
        : string.Create(Inv, $"{(int)span.TotalHours} h {span.Minutes} min");

    /// <summary>
    /// A duration on a live view, to the second: "4 s", "3 min 12 s", "2 h 5 min", and from 48 h "3 d 2 h". With
    /// <paramref name="days"/> false hours keep counting ("72 h 0 min"), as <c>aworld watch</c> has always shown them.
    /// </summary>
    public static string WholeDuration(TimeSpan span, bool days = true) =>
        span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0", Inv) + " s"
        : span.TotalMinutes < 60 ? string.Create(Inv, $"{(int)span.TotalMinutes} min {span.Seconds} s")
        : !days || span.TotalHours < 48 ? string.Create(Inv, $"{(int)span.TotalHours} h {span.Minutes} min")
        : string.Create(Inv, $"{(int)span.TotalDays} d {span.Hours} h");

    /// <summary>A duration with every unit it has, for the PDF: "420 ms" under a second, else "1 d 2 h 3 min 4 s" without the zero units; negative ones start with "-".</summary>
    public static string ExactDuration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + ExactDuration(span.Duration());
        }

        if (span.TotalSeconds < 1)
        {
            return span.TotalMilliseconds.ToString("0", Inv) + " ms";
        }

        var parts = new List<string>(4);
        if (span.Days > 0)
        {
            parts.Add(string.Create(Inv, $"{span.Days} d"));
        }

        if (span.Hours > 0)
        {
            parts.Add(string.Create(Inv, $"{span.Hours} h"));
        }

        if (span.Minutes > 0)
        {
            parts.Add(string.Create(Inv, $"{span.Minutes} min"));
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(string.Create(Inv, $"{span.Seconds} s"));
        }

        return string.Join(" ", parts);
    }

    /// <summary>A signed offset from a reference moment: "+05:12", "-00:03", "+1:02:03" from an hour on.</summary>
    public static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(offset.Duration().TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss", Inv);

    /// <summary>Time elapsed on a clock face: "01:05:09" (hours past a day are not shown).</summary>
    public static string Elapsed(TimeSpan span) => span.ToString(@"hh\:mm\:ss", Inv);

    /// <summary>Seconds to at most a tenth: "12 s", "0.4 s".</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.#", Inv) + " s";

    /// <summary>Milliseconds as people read them: "640 ms", "12.5 s", then as <see cref="WholeDuration"/> from a minute on.</summary>
    public static string Milliseconds(double ms, bool days = true) =>
        ms < 1000 ? ms.ToString("0", Inv) + " ms"
        : ms < 60_000 ? (ms / 1000).ToString("0.0", Inv) + " s"
        : WholeDuration(TimeSpan.FromMilliseconds(ms), days);

    /// <inheritdoc cref="Milliseconds(double, bool)"/>
    public static string Milliseconds(double? ms) => ms is { } v ? Milliseconds(v) : None;

    /// <summary>A share (0.998) as a percentage for tables and columns: "99.8%", with <paramref name="decimals"/> decimals.</summary>
    public static string Percent(double share, int decimals = 1) => (share * 100).ToString("F" + decimals.ToString(Inv), Inv) + "%";

    /// <inheritdoc cref="Percent(double, int)"/>
    public static string Percent(double? share, int decimals = 1) => share is { } s ? Percent(s, decimals) : None;

    /// <summary>A rate per second: "640/s", "1.2k/s".</summary>
    public static string Rate(double? perSecond) =>
        perSecond is not { } r ? None : r >= 1000 ? (r / 1000).ToString("0.0", Inv) + "k/s" : r.ToString("0", Inv) + "/s";

    /// <summary>A count, short: "640", "1.2k", "3.4M".</summary>
    public static string Count(double value) =>
        value >= 1_000_000 ? (value / 1_000_000).ToString("0.0", Inv) + "M"
        : value >= 1000 ? (value / 1000).ToString("0.0", Inv) + "k"
        : value.ToString("0", Inv);

    /// <summary>"data 45 s old" for stale data, "no data yet" when none came; empty when fresh.</summary>
    public static string Age(TimeSpan? age, bool stale) =>
        !stale ? "" : age is { } a ? $"data {WholeDuration(a)} old" : "no data yet";

    /// <summary>A moment in UTC: "2026-03-02 09:00:00 UTC".</summary>
    public static string Utc(DateTimeOffset at) => UtcDateTime(at) + " UTC";

    /// <inheritdoc cref="Utc(DateTimeOffset)"/>
    public static string Utc(DateTimeOffset? at) => at is { } t ? Utc(t) : None;

    /// <summary>A moment in UTC where the heading or the field already says UTC: "2026-03-02 09:00:00" (also the form the console reads back).</summary>
    public static string UtcDateTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv);

    /// <summary>A moment in UTC inside a sentence of the report: "2026-03-02 09:00:00Z".</summary>
    public static string UtcStamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", Inv);

    /// <summary>The time of day in UTC: "09:00:00 UTC".</summary>
    public static string UtcTime(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", Inv) + " UTC";

    /// <summary>The time of day in UTC, short, for narrow text: "09:00:00Z".</summary>
    public static string UtcClock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", Inv) + "Z";
}
