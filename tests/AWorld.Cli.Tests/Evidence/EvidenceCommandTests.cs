using System.Text.Json;
using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;

namespace AWorld.Cli.Tests.Evidence;

public sealed class EvidenceCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LocalEvidenceSigner _signer;
    private readonly LocalEvidenceSigner _other;

    public EvidenceCommandTests()
    {
        _signer = new LocalEvidenceSigner(Path.Combine(_directory.Path, "keys"));
        _other = new LocalEvidenceSigner(Path.Combine(_directory.Path, "other-keys"));
    }

    public void Dispose()
    {
        _signer.Dispose();
        _other.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task IntactPack_ExitsZero_PrintingEachCheckOnItsOwnLine()
    {
        var pack = await WritePackAsync(_signer);

        var (code, stdout, _) = await Run("evidence", "verify", pack);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^ok  report\.pdf +sha256 [0-9a-f]{64} \(", lines.Single(l => l.StartsWith("ok  report.pdf", StringComparison.Ordinal)));
        foreach (var file in EvidencePack.ContentFiles)
        {
            Assert.Contains(lines, l => l.StartsWith($"ok  {file} ", StringComparison.Ordinal));
        }

        Assert.StartsWith("VERIFIED: evidence pack of drill drill-20260302-001", lines[^1], StringComparison.Ordinal);
        Assert.Contains(_signer.KeyId, stdout, StringComparison.Ordinal);
        Assert.Contains("trust in the key must come from elsewhere", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntactPack_WithItsPublicKey_ExitsZero_SayingTheKeyIsTrusted()
    {
        var pack = await WritePackAsync(_signer);
        var key = await WriteKeyAsync(_signer);

        var (code, stdout, _) = await Run("evidence", "verify", pack, "--public-key", key);

        Assert.Equal(0, code);
        Assert.Contains("(the trusted key given)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlteredFile_ExitsOne_WithTheFailureFirst()
    {
        var pack = await WritePackAsync(_signer);
        var zip = await File.ReadAllBytesAsync(pack);
        await File.WriteAllBytesAsync(pack, EvidencePacks.Rewrite(zip, entries =>
        {
            var i = entries.FindIndex(e => e.Name == EvidencePack.MetricsCsv);
            var content = entries[i].Content.ToArray();
            content[100] ^= 0x02;
            entries[i] = (EvidencePack.MetricsCsv, content);
        }));

        var (code, stdout, _) = await Run("evidence", "verify", pack);

        Assert.Equal(1, code);
        Assert.StartsWith("FAILED: metrics.csv: altered", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("VERIFIED", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackSignedByAnotherKey_ExitsOne_NamingTheSignature()
    {
        var pack = await WritePackAsync(_other);
        var key = await WriteKeyAsync(_signer);

        var (code, stdout, _) = await Run("evidence", "verify", pack, "--public-key", key);

        Assert.Equal(1, code);
        Assert.StartsWith("FAILED: signature: the pack is signed by key " + _other.KeyId, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_HoldsTheChecksAndTheFailure()
    {
        var pack = await WritePackAsync(_signer);
        var zip = await File.ReadAllBytesAsync(pack);
        await File.WriteAllBytesAsync(pack, EvidencePacks.Rewrite(zip, entries => entries.RemoveAll(e => e.Name == EvidencePack.AuditJsonl)));

        var (code, stdout, _) = await Run("evidence", "verify", pack, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal("audit.jsonl", json.RootElement.GetProperty("failure").GetProperty("subject").GetString());
        Assert.True(json.RootElement.GetProperty("checks").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task ChainedPacks_OldestFirst_ExitZero_AndASwappedPairExitsOne()
    {
        var (first, firstSha) = await EvidencePacks.WriteAsync(_signer, number: 1);
        var (second, secondSha) = await EvidencePacks.WriteAsync(_signer, number: 2, previous: firstSha);
        var (third, _) = await EvidencePacks.WriteAsync(_signer, number: 3, previous: secondSha);
        var paths = new[] { first, second, third }.Select((zip, i) =>
        {
            var path = Path.Combine(_directory.Path, $"week-{i + 1}.zip");
            File.WriteAllBytes(path, zip);
            return path;
        }).ToArray();

        var (intact, intactOut, _) = await Run("evidence", "verify", paths[0], paths[1], paths[2]);
        var (swapped, swappedOut, _) = await Run("evidence", "verify", paths[0], paths[2], paths[1]);

        Assert.Equal(0, intact);
        Assert.Contains("VERIFIED CHAIN: 3 packs", intactOut, StringComparison.Ordinal);
        Assert.Equal(1, swapped);
        Assert.StartsWith("FAILED: chain: pack 2 (drill-20260302-003)", swappedOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPackArgument_ExitsTwo()
    {
        var (code, _, stderr) = await Run("evidence", "verify");

        Assert.Equal(2, code);
        Assert.Contains("give the evidence pack to verify", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackThatDoesNotExist_ExitsTwo_NamingIt()
    {
        var (code, _, stderr) = await Run("evidence", "verify", Path.Combine(_directory.Path, "nope.zip"));

        Assert.Equal(2, code);
        Assert.Contains("nope.zip' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicKeyFileThatIsNotAKey_ExitsTwo()
    {
        var pack = await WritePackAsync(_signer);
        var key = Path.Combine(_directory.Path, "key.pem");
        await File.WriteAllTextAsync(key, "hello");

        var (code, _, stderr) = await Run("evidence", "verify", pack, "--public-key", key);

        Assert.Equal(2, code);
        Assert.Contains("--public-key is not a PEM public key", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSubcommandOrOption_ExitsTwo()
    {
        var pack = await WritePackAsync(_signer);

        Assert.Equal(2, (await Run("evidence", "check", pack)).Code);
        Assert.Equal(2, (await Run("evidence", "verify", pack, "--key", "x")).Code);
    }

    private async Task<string> WritePackAsync(LocalEvidenceSigner signer)
    {
        var (zip, _) = await EvidencePacks.WriteAsync(signer);
        var path = Path.Combine(_directory.Path, $"pack-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(path, zip);
        return path;
    }

    private async Task<string> WriteKeyAsync(LocalEvidenceSigner signer)
    {
        var path = Path.Combine(_directory.Path, $"key-{signer.KeyId[..8]}.pem");
        await File.WriteAllTextAsync(path, signer.PublicKeyPem);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
