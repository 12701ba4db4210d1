using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AWorld.Core;
using AWorld.Core.Telemetry;

namespace AWorld.Cli.Watch;

/// <summary>
/// Formats one estate snapshot as the compact text view of <c>aworld watch</c>. Pure: the same snapshot gives the
/// same text. Health is always spelled out as a word; with <c>ansi</c> the word is also coloured, never replaced.
/// </summary>
internal static class WatchView
{
    public const string None = "-";

    private const string Escape = "\u001b[";
    private const string Reset = Escape + "0m";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(EstateSnapshot s, bool ansi)
    {
        var text = new StringBuilder();
        text.Append("AWorld estate  ").Append(Health(s.Overall, ansi, pad: 0))
            .Append("  at ").Append(Formats.Utc(s.At))
            .Append("  #").Append(s.Sequence.ToString(Inv)).Append('\n');

        var codeWidth = Math.Max("REGION".Length, s.Regions.IsDefaultOrEmpty ? 0 : s.Regions.Max(r => r.Code.Length)) + 2;
        text.Append(Invariant($"{"REGION".PadRight(codeWidth)}{"HEALTH",-11}{"TRAFFIC",8}{"REQ/S",9}{"P99",9}{"5XX",8}{"LAG IN",10}{"LAG OUT",10}")).Append('\n');
        foreach (var r in s.Regions.OrEmpty())
        {
            var line = new StringBuilder()
                .Append(r.Code.PadRight(codeWidth))
                .Append(Health(r.Health, ansi, pad: 11))
                .Append(Percent(r.TrafficShare).PadLeft(8))
                .Append(Rate(r.RequestsPerSecond).PadLeft(9))
                .Append(Milliseconds(r.LatencyP99Ms).PadLeft(9))
                .Append(Percent(r.ErrorRate5xx, decimals: 2).PadLeft(8))
                .Append(Milliseconds(r.LagInMs).PadLeft(10))
                .Append(Milliseconds(r.LagOutMs).PadLeft(10));
            if (r.IsStale)
            {
                line.Append("  ").Append(r.DataAge is { } age ? $"data {Seconds(age)} s old" : "no data yet");
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        text.Append("Replication (RPO ").Append(Formats.WholeDuration(s.Objectives.Rpo, days: false)).Append(")\n");
        if (s.Replication.IsDefaultOrEmpty)
        {
            text.Append("  no replication data\n");
        }

        foreach (var p in s.Replication.OrEmpty())
        {
            var pair = $"{p.From} -> {p.To}";
            text.Append("  ").Append(pair.PadRight((codeWidth * 2) + 2))
                .Append("lag ").Append(Milliseconds(p.LagMs).PadLeft(8))
                .Append("   within RPO: ").Append(p.LagMs is null ? "unknown" : p.WithinRpo ? "yes" : Colour("no", "31", ansi));
            if (p.IsStale)
            {
                text.Append("  ").Append(p.DataAge is { } age ? $"data {Seconds(age)} s old" : "no data yet");
            }

            text.Append('\n');
        }

        text.Append("Data at risk: ").Append(Invariant($"~{s.DataAtRisk.EstimatedWrites:0} writes"));
        if (s.DataAtRisk.EstimatedWrites >= 0.5)
        {
            text.Append(", oldest ").Append(Milliseconds(s.DataAtRisk.OldestAge.TotalMilliseconds));
        }

        text.Append('\n');
        if (s.Faults.IsDefaultOrEmpty)
        {
            text.Append("Active faults: none\n");
        }
        else
        {
            text.Append("Active faults:\n");
            foreach (var f in s.Faults)
            {
                var target = f.Spec.PeerRegion is { } peer ? $"{f.Spec.Region}-{peer}" : f.Spec.Region;
                text.Append("  ").Append(f.Spec.Kind.ToString().ToLowerInvariant()).Append(' ').Append(target)
                    .Append(f.StartsAt > s.At ? " from " + Formats.UtcClock(f.StartsAt) : " since " + Formats.UtcClock(f.StartsAt))
                    .Append(f.EndsAt is { } end ? " until " + Formats.UtcClock(end) : " until cleared");
                if (f.InjectedBy is { } who)
                {
                    text.Append(" (by ").Append(who).Append(')');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The health word, padded to <paramref name="pad"/> before colouring so that columns stay aligned.</summary>
    private static string Health(HealthStatus status, bool ansi, int pad)
    {
        var word = status.ToString().PadRight(pad);
        return status switch
        {
            HealthStatus.Healthy => Colour(word, "32", ansi),
            HealthStatus.Degraded => Colour(word, "33", ansi),
            HealthStatus.Unhealthy => Colour(word, "1;31", ansi),
            _ => Colour(word, "35", ansi),
        };
    }

    private static string Colour(string text, string sgr, bool ansi)
    {
        if (!ansi)
        {
            return text;
        }

        // Colour only the word, not the padding after it.
        var trimmed = text.TrimEnd();
        return Escape + sgr + "m" + trimmed + Reset + text[trimmed.Length..];
    }

    // The terminal shows "-" for no value (plain ASCII), and hours rather than days: the watch's own forms of Formats.
    private static string Percent(double? share, int decimals = 1) => share is { } v ? Formats.Percent(v, decimals) : None;

    // A 9-character column under a REQ/S header: no unit, thousands only from 10k.
    private static string Rate(double? perSecond) =>
        perSecond is not { } r ? None : r >= 10_000 ? (r / 1000).ToString("0.0", Inv) + "k" : r.ToString("0", Inv);

    private static string Milliseconds(double? ms) => ms is { } v ? Formats.Milliseconds(v, days: false) : None;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0", Inv);

    private static string Invariant(FormattableString text) => text.ToString(Inv);

    private static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> items) =>
        items.IsDefault ? [] : items;
}
