using System.Globalization;

namespace AWorld.Core.Estate;

/// <summary>
/// Reads the text form of a fault used by the CLI and drills:
/// <c>KIND TARGET [MAGNITUDE] [client NAME] [at HH:MM:SS] [for HH:MM:SS]</c>, for example
/// <c>outage eu-west-1 at 00:30:00 for 00:20:00</c>, <c>partition eu-west-1-eu-central-1 for 00:10:00</c>,
/// <c>latency eu-central-1 +800ms</c>, <c>errors eu-west-1 30%</c>, <c>throttle eu-west-1 x40 client tenant-03</c>,
/// <c>flap eu-north-1 50%</c>, <c>bad-deploy eu-west-1 at 00:10:00 for 00:15:00</c>.
/// </summary>
public static class FaultSpecParser
{
    public const string Example = "outage eu-west-1 at 00:30:00 for 00:20:00";

    public static bool TryParse(string text, EstateTopology estate, out FaultSpec spec, out string error)
    {
        spec = null!;
        var tokens = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length < 2)
        {
            error = $"'{text}' needs at least a kind and a target, e.g. '{Example}'";
            return false;
        }

        if (!TryKind(tokens[0], out var kind))
        {
            error = $"unknown fault kind '{tokens[0]}'; use one of outage, partition, latency, errors, throttle, flap, bad-deploy";
            return false;
        }

        string region;
        string? peer = null;
        if (kind == FaultKind.Partition)
        {
            if (!TrySplitPair(tokens[1], estate, out region, out peer))
            {
                error = $"partition target '{tokens[1]}' must be two regions joined by '-', e.g. eu-west-1-eu-central-1";
                return false;
            }
        }
        else
        {
            region = tokens[1];
        }

        double? magnitude = null;
        string? client = null;
        TimeSpan at = TimeSpan.Zero;
        TimeSpan? duration = null;
        for (var i = 2; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token is "at" or "for" or "client")
            {
                if (i + 1 >= tokens.Length)
                {
                    error = $"'{token}' must be followed by a value in '{text}'";
                    return false;
                }

                var value = tokens[++i];
                if (token == "client")
                {
                    client = value;
                    continue;
                }

                if (!TryDuration(value, out var time))
                {
                    error = $"'{value}' after '{token}' is not a time; write HH:MM:SS, e.g. 00:30:00";
                    return false;
                }

                if (token == "at")
                {
                    at = time;
                }
                else
                {
                    duration = time;
                }
            }
            else if (magnitude is null && TryMagnitude(kind, token, out var m))
            {
                magnitude = m;
            }
            else
            {
                error = $"unexpected '{token}' in '{text}'; after the target come an optional magnitude (800ms, 30%, x40), 'client NAME', 'at HH:MM:SS' and 'for HH:MM:SS'";
                return false;
            }
        }

        spec = new FaultSpec(kind, region, peer, magnitude, duration, at, client);
        var invalid = spec.Validate(estate);
        if (invalid is not null)
        {
            error = invalid;
            return false;
        }

        error = "";
        return true;
    }

    public static bool TryKind(string text, out FaultKind kind)
    {
        kind = default;
        return text.ToLowerInvariant() switch
        {
            "outage" => Set(FaultKind.Outage, out kind),
            "partition" => Set(FaultKind.Partition, out kind),
            "latency" => Set(FaultKind.Latency, out kind),
            "errors" or "error" => Set(FaultKind.Errors, out kind),
            "throttle" or "throttling" => Set(FaultKind.Throttle, out kind),
            "flap" or "flapping" => Set(FaultKind.Flap, out kind),
            "bad-deploy" or "baddeploy" => Set(FaultKind.BadDeploy, out kind),
            _ => false,
        };

        static bool Set(FaultKind value, out FaultKind kind)
        {
            kind = value;
            return true;
        }
    }

    private static bool TrySplitPair(string text, EstateTopology estate, out string first, out string? second)
    {
        foreach (var region in estate.Regions)
        {
            if (text.StartsWith(region.Code + "-", StringComparison.Ordinal))
            {
                var rest = text[(region.Code.Length + 1)..];
                if (estate.TryGetRegion(rest, out _))
                {
                    first = region.Code;
                    second = rest;
                    return true;
                }
            }
        }

        first = "";
        second = null;
        return false;
    }

    private static bool TryDuration(string text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"d\.hh\:mm\:ss", @"h\:mm\:ss"], CultureInfo.InvariantCulture, out value);

    private static bool TryMagnitude(FaultKind kind, string token, out double value)
    {
        value = 0;
        var t = token.TrimStart('+');
        var inv = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case FaultKind.Latency:
                return t.EndsWith("ms", StringComparison.Ordinal)
                    ? double.TryParse(t[..^2], NumberStyles.Float, inv, out value)
                    : t.EndsWith('s') && double.TryParse(t[..^1], NumberStyles.Float, inv, out value) && Scale(ref value, 1000);
            case FaultKind.Errors or FaultKind.Flap or FaultKind.BadDeploy:
                return t.EndsWith('%')
                    ? double.TryParse(t[..^1], NumberStyles.Float, inv, out value) && Scale(ref value, 0.01)
                    : double.TryParse(t, NumberStyles.Float, inv, out value);
            case FaultKind.Throttle:
                return t.StartsWith('x') && double.TryParse(t[1..], NumberStyles.Float, inv, out value);
            default:
                return false;
        }

        static bool Scale(ref double v, double factor)
        {
            v *= factor;
            return true;
        }
    }
}
