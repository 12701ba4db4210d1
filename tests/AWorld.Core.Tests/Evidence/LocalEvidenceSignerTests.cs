using System.Security.Cryptography;
using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Evidence;

public sealed class LocalEvidenceSignerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void FirstUse_CreatesThePkcs8KeyFile_ReadableByTheOwnerOnly()
    {
        using var signer = new LocalEvidenceSigner(_directory.Path);
        var path = Path.Combine(_directory.Path, LocalEvidenceSigner.KeyFileName);
        Assert.False(File.Exists(path), "nothing is created before first use");

        _ = signer.KeyId;

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void LaterInstances_ReuseTheKey()
    {
        string first;
        using (var signer = new LocalEvidenceSigner(_directory.Path))
        {
            first = signer.KeyId;
        }

        using var again = new LocalEvidenceSigner(_directory.Path);

        Assert.Equal(first, again.KeyId);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public async Task InstancesRacingOnFirstUse_EndWithOneKey()
    {
        var signers = Enumerable.Range(0, 8).Select(_ => new LocalEvidenceSigner(_directory.Path)).ToList();
        using var start = new ManualResetEventSlim();

        var ids = await Task.WhenAll(signers.Select(s => Task.Run(() =>
        {
            start.Wait(TimeSpan.FromSeconds(10));
            return s.KeyId;
        })).ToList().Also(_ => start.Set()));

        Assert.Single(ids.Distinct());
        Assert.Single(Directory.GetFiles(_directory.Path));
        using var reloaded = new LocalEvidenceSigner(_directory.Path);
        Assert.Equal(ids[0], reloaded.KeyId);
        signers.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Signature_IsDerEcdsaP256OverSha256_VerifiableWithThePublicKey()
    {
        using var signer = new LocalEvidenceSigner(_directory.Path);
        var data = "manifest bytes"u8.ToArray();

        var signature = await signer.SignAsync(data);

        Assert.Equal(0x30, signature[0]); // ASN.1 SEQUENCE
        using var key = ECDsa.Create();
        key.ImportFromPem(signer.PublicKeyPem);
        Assert.True(key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(key.VerifyData("other bytes"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), signer.KeyId);
    }

    [Fact]
    public void CorruptKeyFile_FailsNamingTheFileAndWhatToDo_AndIsNotReplaced()
    {
        var path = Path.Combine(_directory.Path, LocalEvidenceSigner.KeyFileName);
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");
        using var signer = new LocalEvidenceSigner(_directory.Path);

        var error = Assert.Throws<EvidenceKeyException>(() => signer.KeyId);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the file from backup", error.Message, StringComparison.Ordinal);
        Assert.Contains("not base64", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyOnlyFile_IsRefusedAsUnableToSign()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(_directory.Path, LocalEvidenceSigner.KeyFileName), other.ExportSubjectPublicKeyInfoPem());
        using var signer = new LocalEvidenceSigner(_directory.Path);

        Assert.Throws<EvidenceKeyException>(() => signer.PublicKeyPem);
    }
}

internal static class TaskListExtensions
{
    /// <summary>Runs <paramref name="action"/> on the value and returns it (starts racing tasks after they all exist).</summary>
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
