using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Evidence;

namespace AWorld.Cli.Evidence;

/// <summary>
/// <c>aworld evidence verify PACK.zip [MORE.zip ...] [--public-key FILE] [--json]</c>: checks evidence packs offline.
/// Exit 0 when intact (every check printed, one line each), 1 with "FAILED: &lt;file or signature&gt;: &lt;why&gt;"
/// first when not, 2 for bad arguments. Several packs, oldest first, are also checked to form an unbroken chain.
/// </summary>
public static class EvidenceCommand
{
    public const string Example = "aworld evidence verify drill-20260302-001.zip --public-key evidence-public-key.pem";

    private const string Help = """
        aworld evidence verify — check an evidence pack offline

          aworld evidence verify PACK.zip [MORE.zip ...] [--public-key FILE] [--json]

          PACK.zip            the evidence pack exported by the console; give several, oldest first, to also
                              check that each one links to the one before (none missing, replaced or reordered)
          --public-key FILE   the PEM public key the pack must be signed with (from the console's Evidence page or
                              your key registry). Without it the pack's own public-key.pem is used: that proves the
                              pack is intact and which key signed it, not who holds that key.
          --json              print the result as JSON

        Exit codes: 0 intact, 1 a check failed (the first failure is printed first), 2 bad arguments.

        Example:
          
        """;

    private const int MaxPacks = 1000;

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

        List<string> packs;
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

            packs = positional.Count <= MaxPacks
                ? positional
                : throw reader.Problem($"give at most {MaxPacks} packs at once, not {positional.Count}");
            if (packs.Count == 0)
            {
                throw reader.Problem("give the evidence pack to verify");
            }

            foreach (var pack in packs.Where(p => !File.Exists(p)))
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

        var results = new List<EvidencePackVerification>(packs.Count);
        foreach (var pack in packs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var file = new FileStream(pack, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                buffer.Position = 0;
                results.Add(EvidencePackVerifier.Verify(buffer, trustedKey));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"aworld evidence verify: cannot read '{pack}': {e.Message}");
                return CliApp.BadArguments;
            }

            if (results[^1].Failure is { Subject: "trusted key" } keyProblem)
            {
                await stderr.WriteLineAsync($"aworld evidence verify: --public-key is {keyProblem.Detail}. Example: {Example}");
                return CliApp.BadArguments;
            }
        }

        var chain = results.Count > 1 && results.All(r => r.Verified) ? EvidencePackVerifier.ChainProblem(results) : null;
        if (json)
        {
            await stdout.WriteLineAsync(results.Count == 1
                ? JsonSerializer.Serialize(results[0], EvidenceJson.Default.EvidencePackVerification)
                : JsonSerializer.Serialize(new EvidenceChainResult(results.All(r => r.Verified) && chain is null, [.. results], chain), EvidenceJson.Default.EvidenceChainResult));
        }
        else if (results.Count == 1)
        {
            await stdout.WriteAsync(Format(results[0]));
        }
        else
        {
            // The first failure of all comes first, as for one pack; then each pack's lines under its name.
            if (results.FirstOrDefault(r => !r.Verified) is { } failed)
            {
                await stdout.WriteLineAsync($"FAILED: {packs[results.IndexOf(failed)]}: {failed.Failure!.Subject}: {failed.Failure.Detail}");
            }
            else if (chain is not null)
            {
                await stdout.WriteLineAsync($"FAILED: chain: {chain.Subject} {chain.Detail}");
            }

            for (var i = 0; i < results.Count; i++)
            {
                await stdout.WriteLineAsync($"== {packs[i]}");
                await stdout.WriteAsync(Format(results[i]));
            }

            if (results.All(r => r.Verified) && chain is null)
            {
                await stdout.WriteLineAsync($"VERIFIED CHAIN: {results.Count} packs, each linked to the one before");
            }
        }

        return results.All(r => r.Verified) && chain is null ? CliApp.Ok : CliApp.Failed;
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
[JsonSerializable(typeof(EvidenceChainResult))]
internal sealed partial class EvidenceJson : JsonSerializerContext;

/// <summary>The JSON of several packs: each one's result, and the first broken link between them, if any.</summary>
internal sealed record EvidenceChainResult(bool Verified, System.Collections.Immutable.ImmutableArray<EvidencePackVerification> Packs, EvidenceCheck? ChainProblem);
