using System.Text;
using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Evidence;

public sealed class EvidencePackTests : IDisposable
{
    private readonly TempDirectory _keys = new();
    private readonly TempDirectory _otherKeys = new();
    private readonly LocalEvidenceSigner _signer;
    private readonly LocalEvidenceSigner _other;

    public EvidencePackTests()
    {
        _signer = new LocalEvidenceSigner(_keys.Path);
        _other = new LocalEvidenceSigner(_otherKeys.Path);
    }

    public void Dispose()
    {
        _signer.Dispose();
        _other.Dispose();
        _keys.Dispose();
        _otherKeys.Dispose();
    }

    public static TheoryData<string> ContentFiles() => [.. EvidencePack.ContentFiles];

    public static TheoryData<string> AllFiles() => [EvidencePack.Manifest, EvidencePack.ManifestSignature, .. EvidencePack.ContentFiles];

    [Fact]
    public async Task IntactPack_Verifies_WithEveryFileChecked()
    {
        var (zip, manifestSha) = await EvidencePacks.WriteAsync(_signer);

        var result = EvidencePacks.Verify(zip);

        Assert.True(result.Verified, result.Failure?.ToString());
        Assert.Null(result.Failure);
        Assert.Equal(manifestSha, result.ManifestSha256);
        Assert.Equal(_signer.KeyId, result.KeyId);
        Assert.False(result.KeyTrusted);
        Assert.Equal("drill-20260302-001", result.DrillId);
        foreach (var file in EvidencePack.ContentFiles)
        {
            Assert.Contains(result.Checks, c => c.Subject == file);
        }

        Assert.Contains(result.Checks, c => c.Subject == "signature");
        Assert.Contains("trust in the key must come from elsewhere", result.Checks.First(c => c.Subject == EvidencePack.PublicKeyPem).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntactPack_VerifiesWithItsTrustedKey()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);

        var result = EvidencePacks.Verify(zip, _signer.PublicKeyPem);

        Assert.True(result.Verified, result.Failure?.ToString());
        Assert.True(result.KeyTrusted);
    }

    [Fact]
    public async Task Pack_HoldsTheFilesInFixedOrder_AndTheManifestListsThem()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);

        var names = EvidencePacks.Entries(zip).Select(e => e.Name).ToList();

        Assert.Equal([EvidencePack.Manifest, EvidencePack.ManifestSignature, .. EvidencePack.ContentFiles], names);
        var manifest = Encoding.UTF8.GetString(EvidencePacks.Entries(zip)[0].Content);
        Assert.Contains("\"previousManifestSha256\": null", manifest, StringComparison.Ordinal);
        Assert.Contains($"\"signerKeyId\": \"{_signer.KeyId}\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameInputs_GiveTheSameBytes()
    {
        var (first, firstSha) = await EvidencePacks.WriteAsync(_signer);
        var (second, secondSha) = await EvidencePacks.WriteAsync(_signer);

        Assert.Equal(firstSha, secondSha);
        // ECDSA signatures are randomised, so manifest.sig differs; every other entry is identical.
        var a = EvidencePacks.Entries(first).Where(e => e.Name != EvidencePack.ManifestSignature).ToList();
        var b = EvidencePacks.Entries(second).Where(e => e.Name != EvidencePack.ManifestSignature).ToList();
        Assert.Equal(a.Select(e => (e.Name, Convert.ToHexString(e.Content))), b.Select(e => (e.Name, Convert.ToHexString(e.Content))));
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public async Task OneFlippedByte_InAnyFile_FailsNamingThatFileOrTheSignature(string file)
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries =>
        {
            var i = entries.FindIndex(e => e.Name == file);
            var content = entries[i].Content.ToArray();
            content[content.Length / 2] ^= 0x01;
            entries[i] = (file, content);
        });

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        var expected = file is EvidencePack.Manifest or EvidencePack.ManifestSignature ? "signature" : file;
        if (file == EvidencePack.PublicKeyPem)
        {
            // A changed key either does not parse (named as the key file) or is another key (the signature fails).
            Assert.Contains(result.Failure!.Subject, new[] { EvidencePack.PublicKeyPem, "signature" });
        }
        else
        {
            Assert.Equal(expected, result.Failure!.Subject);
        }
    }

    [Theory]
    [MemberData(nameof(ContentFiles))]
    public async Task OneFlippedByte_WithTrustedKey_NamesTheAlteredFile(string file)
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries =>
        {
            var i = entries.FindIndex(e => e.Name == file);
            var content = entries[i].Content.ToArray();
            content[^3] ^= 0x20;
            entries[i] = (file, content);
        });

        var result = EvidencePacks.Verify(tampered, _signer.PublicKeyPem);

        Assert.False(result.Verified);
        Assert.Equal(file, result.Failure!.Subject);
        Assert.StartsWith("altered", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public async Task RemovedFile_FailsNamingIt(string file)
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries => entries.RemoveAll(e => e.Name == file));

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        Assert.Equal(file, result.Failure!.Subject);
        Assert.Contains("missing", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddedFile_FailsNamingIt()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries => entries.Add(("notes.txt", "harmless"u8.ToArray())));

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        Assert.Equal("notes.txt", result.Failure!.Subject);
        Assert.Contains("not listed in the manifest", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenamedFile_FailsNamingTheOriginal_AndTheNewName()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries =>
        {
            var i = entries.FindIndex(e => e.Name == EvidencePack.TimelineCsv);
            entries[i] = ("timeline-final.csv", entries[i].Content);
        });

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        Assert.Equal(EvidencePack.TimelineCsv, result.Failure!.Subject);
        Assert.Contains("timeline-final.csv", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateEntry_Fails()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries => entries.Add((EvidencePack.ReportJson, "{}"u8.ToArray())));

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        Assert.Equal(EvidencePack.ReportJson, result.Failure!.Subject);
        Assert.Contains("duplicate", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestRewrittenToMatchAnAlteredFile_FailsTheSignature()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        // The attacker fixes the hash in the manifest but cannot sign it with the pack's key.
        var resealedByAnother = await EvidencePacks.ResealAsync(zip, _other, EvidencePack.TimelineCsv, c => [.. c, .. "\r\n"u8]);
        var keepOriginalSignature = EvidencePacks.Rewrite(resealedByAnother, entries =>
        {
            var original = EvidencePacks.Entries(zip).Single(e => e.Name == EvidencePack.ManifestSignature);
            entries[entries.FindIndex(e => e.Name == EvidencePack.ManifestSignature)] = original;
        });

        var result = EvidencePacks.Verify(keepOriginalSignature);

        Assert.False(result.Verified);
        Assert.Equal("signature", result.Failure!.Subject);
    }

    [Fact]
    public async Task SignatureOfAnotherManifest_Fails()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var (otherDrill, _) = await EvidencePacks.WriteAsync(_signer, number: 2);
        var tampered = EvidencePacks.Rewrite(zip, entries =>
            entries[entries.FindIndex(e => e.Name == EvidencePack.ManifestSignature)] = EvidencePacks.Entries(otherDrill).Single(e => e.Name == EvidencePack.ManifestSignature));

        var result = EvidencePacks.Verify(tampered);

        Assert.Equal("signature", result.Failure!.Subject);
    }

    [Fact]
    public async Task ValidPackSignedByAnotherKey_FailsWithTheTrustedKey_NamingBothKeys()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_other);

        var withoutTrust = EvidencePacks.Verify(zip);
        var withTrust = EvidencePacks.Verify(zip, _signer.PublicKeyPem);

        Assert.True(withoutTrust.Verified, "intact and self-consistent, so it verifies against its own key...");
        Assert.Equal(_other.KeyId, withoutTrust.KeyId);
        Assert.False(withoutTrust.KeyTrusted);
        Assert.False(withTrust.Verified, "...but not against the key the auditor trusts");
        Assert.Equal("signature", withTrust.Failure!.Subject);
        Assert.Contains(_other.KeyId, withTrust.Failure.Detail, StringComparison.Ordinal);
        Assert.Contains(_signer.KeyId, withTrust.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackResignedByAnotherKeyWithOurPublicKeyLeftIn_FailsTheSignature()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var resealed = await EvidencePacks.ResealAsync(zip, _other, EvidencePack.ReportPdf, c => [.. c, 0x0a]);

        Assert.Equal("signature", EvidencePacks.Verify(resealed).Failure!.Subject);
        Assert.Equal("signature", EvidencePacks.Verify(resealed, _signer.PublicKeyPem).Failure!.Subject);
    }

    [Fact]
    public async Task BrokenAuditChain_EvenWhenResigned_FailsOnTheAuditFile()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        // An insider with the key re-signs a pack whose audit trail had one line changed: the chain still gives it away.
        var resealed = await EvidencePacks.ResealAsync(zip, _signer, EvidencePack.AuditJsonl, c =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(c).Replace("\"actor\":\"olivia\"", "\"actor\":\"mallory\"", StringComparison.Ordinal)));

        var result = EvidencePacks.Verify(resealed, _signer.PublicKeyPem);

        Assert.False(result.Verified);
        Assert.Equal(EvidencePack.AuditJsonl, result.Failure!.Subject);
        Assert.Contains("hash chain is broken", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEntryRemoved_EvenWhenResigned_FailsOnTheAuditFile()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var resealed = await EvidencePacks.ResealAsync(zip, _signer, EvidencePack.AuditJsonl, c =>
        {
            var lines = Encoding.UTF8.GetString(c).Split('\n').ToList();
            lines.RemoveAt(10);
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        });

        var result = EvidencePacks.Verify(resealed);

        Assert.Equal(EvidencePack.AuditJsonl, result.Failure!.Subject);
    }

    [Fact]
    public async Task ReportOfAnotherDrill_EvenWhenResigned_FailsOnTheReport()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var resealed = await EvidencePacks.ResealAsync(zip, _signer, EvidencePack.ReportJson, c =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(c).Replace("drill-20260302-001", "drill-20260302-009", StringComparison.Ordinal)));

        var result = EvidencePacks.Verify(resealed);

        Assert.Equal(EvidencePack.ReportJson, result.Failure!.Subject);
        Assert.Contains("drill-20260302-009", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptCompressedData_Fails()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var corrupt = zip.ToArray();
        // The middle of the pack lies inside report.json's deflated data.
        for (var i = 0; i < 16; i++)
        {
            corrupt[(corrupt.Length / 2) + i] ^= 0x5a;
        }

        var result = EvidencePacks.Verify(corrupt);

        Assert.False(result.Verified);
        Assert.Equal(EvidencePack.ReportJson, result.Failure!.Subject);
    }

    [Fact]
    public async Task CorruptEndOfCentralDirectory_FailsAsUnreadable()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var corrupt = zip.ToArray();
        corrupt[^22] ^= 0xff; // the end-of-central-directory signature

        var result = EvidencePacks.Verify(corrupt);

        Assert.Equal("pack", result.Failure!.Subject);
        Assert.Contains("not a readable zip", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReorderedEntries_Fail()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        var tampered = EvidencePacks.Rewrite(zip, entries =>
        {
            var csv = entries.FindIndex(e => e.Name == EvidencePack.MetricsCsv);
            (entries[csv], entries[csv - 1]) = (entries[csv - 1], entries[csv]);
        });

        var result = EvidencePacks.Verify(tampered);

        Assert.False(result.Verified);
        Assert.Contains("reordered", result.Failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepackedWithOtherTimestamps_Fails()
    {
        var (zip, _) = await EvidencePacks.WriteAsync(_signer);
        // Names, order and contents stay; only the entries' times change.
        var repacked = EvidencePacks.Rewrite(zip, _ => { }, stamp: new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero));

        var result = EvidencePacks.Verify(repacked);

        Assert.Equal(EvidencePack.Manifest, result.Failure!.Subject);
        Assert.Contains("re-packed", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAZip_FailsAsUnreadable()
    {
        var result = EvidencePacks.Verify("this is not a zip"u8.ToArray());

        Assert.Equal("pack", result.Failure!.Subject);
        Assert.Contains("not a readable zip", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainedPacks_Verify_AndASwappedOrderIsFound()
    {
        var (first, firstSha) = await EvidencePacks.WriteAsync(_signer, number: 1);
        var (second, secondSha) = await EvidencePacks.WriteAsync(_signer, number: 2, previous: firstSha);
        var (third, _) = await EvidencePacks.WriteAsync(_signer, number: 3, previous: secondSha);
        var results = new[] { first, second, third }.Select(p => EvidencePacks.Verify(p, _signer.PublicKeyPem)).ToList();

        Assert.Null(EvidencePackVerifier.ChainProblem(results));
        Assert.Equal(firstSha, results[1].PreviousManifestSha256);
        var problem = EvidencePackVerifier.ChainProblem([results[0], results[2], results[1]]);
        Assert.NotNull(problem);
        Assert.StartsWith("pack 2", problem.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WithAuditNotEndingAtTheReportsHead_IsRefused()
    {
        var (report, audit) = DrillReports.RegionOutage();
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => EvidencePack.WriteAsync(report, audit[..^1], null, _signer, output));

        Assert.Contains("audit chain head", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task Write_WithBrokenAuditChain_IsRefused()
    {
        var (report, audit) = DrillReports.RegionOutage();
        var broken = audit.SetItem(5, audit[5] with { Actor = "mallory" });
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => EvidencePack.WriteAsync(report, broken, null, _signer, output));

        Assert.Contains("entry 6", error.Message, StringComparison.Ordinal);
    }
}
