using System.Globalization;

namespace AWorld.Console.ViewModels;

/// <summary>How numbers read on screen: invariant, short, with units, and "—" where there is no data.</summary>
public static class Format
{
    public const string None = "—";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Percent(double? share, int decimals = 1) =>
        share is { } s ? (s * 100).ToString("F" + decimals, Inv) + "%" : None;

    public static string Rate(double? perSecond) =>
        perSecond is { } r ? (r >= 1000 ? (r / 1000).ToString("0.0", Inv) + "k/s" : r.ToString("0", Inv) + "/s") : None;

    public static string Milliseconds(double? ms) =>
        ms is not { } v ? None
        : v < 1000 ? v.ToString("0", Inv) + " ms"
        : v < 60_000 ? (v / 1000).ToString("0.0", Inv) + " s"
        : Duration(TimeSpan.FromMilliseconds(v));

    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? t.TotalSeconds.ToString("0", Inv) + " s"
        : t.TotalMinutes < 60 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : t.TotalHours < 48 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : $"{(int)t.TotalDays} d {t.Hours} h";

    /// <summary>"data 45 s old" for stale data; empty when fresh.</summary>
    public static string Age(TimeSpan? age, bool stale) =>
        !stale ? "" : age is { } a ? $"data {Duration(a)} old" : "no data yet";

    public static string Count(double value) =>
        value >= 1_000_000 ? (value / 1_000_000).ToString("0.0", Inv) + "M"
        : value >= 1000 ? (value / 1000).ToString("0.0", Inv) + "k"
        : value.ToString("0", Inv);

    public static string Utc(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC" : None;
}
