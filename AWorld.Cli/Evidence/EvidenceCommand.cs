using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Evidence;

namespace AWorld.Cli.Evidence;

/// <summary>
/// <c>aworld evidence verify PACK.zip [--public-key FILE] [--json]</c>: checks an evidence pack offline. Exit 0 when
/// intact (every check printed, one line each), 1 with "FAILED: &lt;file or signature&gt;: &lt;why&gt;" first when not,
/// 2 for bad arguments.
/// </summary>
public static class EvidenceCommand
{
    public const string Example = "aworld evidence verify drill-20260302-001.zip --public-key evidence-public-key.pem";

    private const string Help = """
        aworld evidence verify — check an evidence pack offline

          aworld evidence verify PACK.zip [--public-key FILE] [--json]

          PACK.zip            the evidence pack exported by the console
          --public-key FILE   the PEM public key the pack must be signed with (from the console's Evidence page or
                              your key registry). Without it the pack's own public-key.pem is used: that proves the
                              pack is intact and which key signed it, not who holds that key.
          --json              print the result as JSON

        Exit codes: 0 intact, 1 a check failed (the first failure is printed first), 2 bad arguments.

        Example:
          
        """;

    private static readonly HashSet<string> ValueOptions = ["--public-key"];
    private static readonly HashSet<string> FlagOptions = ["--json", "--help", "-h"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteLineAsync(Help + "  " + Example);
            return args.Length == 0 ? CliApp.BadArguments : CliApp.Ok;
        }

        if (args[0] != "verify")
        {
            await stderr.WriteLineAsync($"aworld evidence: unknown subcommand '{args[0]}'. Example: {Example}");
            return CliApp.BadArguments;
        }

        string pack;
        string? trustedKey;
        bool json;
        try
        {
            var (positional, options) = SplitPositional(args[1..]);
            var reader = new ArgumentReader(options, ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            pack = positional.Count switch
            {
                0 => throw reader.Problem("give the evidence pack to verify"),
                1 => positional[0],
                _ => throw reader.Problem($"give one evidence pack, not {positional.Count} ({string.Join(", ", positional)})"),
            };
            if (!File.Exists(pack))
            {
                throw reader.Problem($"the pack '{pack}' does not exist");
            }

            trustedKey = null;
            if (reader.Single("--public-key") is { } keyFile)
            {
                if (!File.Exists(keyFile))
                {
                    throw reader.Problem($"--public-key '{keyFile}' does not exist");
                }

                trustedKey = await File.ReadAllTextAsync(keyFile, cancellationToken);
            }

            json = reader.Flag("--json");
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld evidence verify: {problem.Message}");
            return CliApp.BadArguments;
        }

        EvidencePackVerification result;
        try
        {
            await using var file = new FileStream(pack, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            result = EvidencePackVerifier.Verify(buffer, trustedKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"aworld evidence verify: cannot read '{pack}': {e.Message}");
            return CliApp.BadArguments;
        }

        if (result.Failure is { Subject: "trusted key" } keyProblem)
        {
            await stderr.WriteLineAsync($"aworld evidence verify: --public-key is {keyProblem.Detail}. Example: {Example}");
            return CliApp.BadArguments;
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(result, EvidenceJson.Default.EvidencePackVerification));
        }
        else
        {
            await stdout.WriteAsync(Format(result));
        }

        return result.Verified ? CliApp.Ok : CliApp.Failed;
    }

    /// <summary>The result as lines: the failure first (when there is one), then one "ok" line per check that passed.</summary>
    internal static string Format(EvidencePackVerification result)
    {
        var text = new System.Text.StringBuilder();
        if (result.Failure is { } failure)
        {
            text.Append("FAILED: ").Append(failure.Subject).Append(": ").Append(failure.Detail).Append('\n');
            if (result.Checks.Length > 0)
            {
                text.Append("passed before the failure:\n");
            }
        }

        var width = result.Checks.IsDefaultOrEmpty ? 0 : result.Checks.Max(c => c.Subject.Length);
        foreach (var check in result.Checks)
        {
            text.Append("ok  ").Append(check.Subject.PadRight(width)).Append("  ").Append(check.Detail).Append('\n');
        }

        if (result.Verified)
        {
            text.Append("VERIFIED: evidence pack of drill ").Append(result.DrillId).Append(", signed by key ").Append(result.KeyId)
                .Append(result.KeyTrusted ? " (the trusted key given)" : " (the pack's own key: compare its fingerprint with the one you trust)")
                .Append('\n');
        }

        return text.ToString();
    }

    private static (List<string> Positional, string[] Options) SplitPositional(string[] args)
    {
        var positional = new List<string>();
        var options = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                options.Add(args[i]);
                if (ValueOptions.Contains(args[i]) && i + 1 < args.Length)
                {
                    options.Add(args[++i]);
                }
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return (positional, [.. options]);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(EvidencePackVerification))]
internal sealed partial class EvidenceJson : JsonSerializerContext;
