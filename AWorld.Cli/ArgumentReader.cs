using System.Globalization;

namespace AWorld.Cli;

/// <summary>A bad argument: the message names it and carries an example; the command exits with code 2.</summary>
public sealed class ArgumentProblemException(string message) : Exception(message);

/// <summary>Reads <c>--name value</c> and <c>--flag</c> arguments, rejecting anything it was not asked about.</summary>
internal sealed class ArgumentReader
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly string _example;

    public ArgumentReader(string[] args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions, string example)
    {
        _example = example;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? arg[..eq] : arg;
            if (flagOptions.Contains(name))
            {
                _flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (eq > 0 && name != arg)
                {
                    value = arg[(eq + 1)..];
                }
                else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                else
                {
                    throw Problem($"{name} needs a value");
                }

                if (!_values.TryGetValue(name, out var list))
                {
                    _values[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                throw Problem($"unknown argument '{arg}'");
            }
        }
    }

    public bool Flag(string name) => _flags.Contains(name);

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string? Single(string name)
    {
        var all = All(name);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw Problem($"{name} is given {all.Count} times; give it once"),
        };
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var text = Single(name);
        if (text is null)
        {
            return fallback;
        }

        if (!TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"h\:mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            throw Problem($"{name} '{text}' is not a positive duration in HH:MM:SS (or D.HH:MM:SS)");
        }

        return value;
    }

    public long Long(string name, long fallback)
    {
        var text = Single(name);
        if (text is null)
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Problem($"{name} '{text}' is not a whole number");
    }

    public ArgumentProblemException Problem(string what) => new($"{what}. Example: {_example}");
}
