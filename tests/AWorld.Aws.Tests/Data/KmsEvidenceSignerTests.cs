using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using AWorld.Aws.Data;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Aws.Tests.Data;

[Collection(MotoCollection.Name)]
public sealed class KmsEvidenceSignerTests(MotoServer moto) : IAsyncLifetime
{
    private const string Region = "eu-central-1";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task APackSignedThroughKms_VerifiesOffline_WithTheKeysFingerprint_EvenWithWritesOff()
    {
        var keyId = await CreateKeyAsync(KeySpec.ECC_NIST_P256);
        using var clients = MotoData.Clients(Options(keyId, allowWrites: false));
        using var signer = new KmsEvidenceSigner(clients, EstateTopology.Default);

        var pack = await EvidenceReports.WritePackAsync(signer);

        var verified = EvidencePackVerifier.Verify(new MemoryStream(pack), signer.PublicKeyPem);
        Assert.True(verified.Verified, verified.Failure?.ToString());
        Assert.True(verified.KeyTrusted);
        Assert.Equal(signer.KeyId, verified.KeyId);
        // The same check `aworld evidence verify` runs without a trusted key: the pack's own public key.
        var own = EvidencePackVerifier.Verify(new MemoryStream(pack));
        Assert.True(own.Verified, own.Failure?.ToString());
        Assert.Equal(signer.KeyId, own.KeyId);
    }

    [Fact]
    public async Task APackSignedThroughKms_WithOneManifestByteChanged_FailsAtTheSignature()
    {
        var keyId = await CreateKeyAsync(KeySpec.ECC_NIST_P256);
        using var clients = MotoData.Clients(Options(keyId));
        using var signer = new KmsEvidenceSigner(clients, EstateTopology.Default);
        var pack = await EvidenceReports.WritePackAsync(signer);

        var tampered = EvidencePackVerifier.Verify(new MemoryStream(EvidenceReports.FlipByte(pack, EvidencePack.Manifest, 40)), signer.PublicKeyPem);

        Assert.False(tampered.Verified);
        Assert.Equal("signature", tampered.Failure?.Subject);
    }

    [Fact]
    public async Task KeyId_IsTheFingerprintOfTheKmsPublicKey_AsTheLocalSignerNamesItsKey()
    {
        var keyId = await CreateKeyAsync(KeySpec.ECC_NIST_P256);
        using var clients = MotoData.Clients(Options(keyId));
        using var signer = new KmsEvidenceSigner(clients, EstateTopology.Default);
        var der = (await clients.Client<IAmazonKeyManagementService>(AwsService.Kms, Region, AwsPurpose.Read).GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(der)), signer.KeyId);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", signer.PublicKeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataOverTheRawLimit_GoesAsADigest_AndMotosWrongDigestSignatureIsRefused()
    {
        // moto 5.2 ignores MessageType DIGEST and signs SHA-256 of the digest: the signer's own check catches it.
        var keyId = await CreateKeyAsync(KeySpec.ECC_NIST_P256);
        using var clients = MotoData.Clients(Options(keyId));
        using var signer = new KmsEvidenceSigner(clients, EstateTopology.Default);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => signer.SignAsync(new byte[KmsEvidenceSigner.RawMessageLimit + 1]));

        Assert.Equal("SignatureMismatch", error.ErrorCode);
        Assert.Contains("MessageType DIGEST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyThatIsNotP256_IsRefusedWithTheFix()
    {
        var keyId = await CreateKeyAsync(KeySpec.RSA_2048);
        using var clients = MotoData.Clients(Options(keyId));
        using var signer = new KmsEvidenceSigner(clients, EstateTopology.Default);

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => signer.SignAsync(new byte[] { 1, 2, 3 }));

        Assert.Equal("UnsupportedKey", error.ErrorCode);
        Assert.Contains("ECC_NIST_P256", error.Message, StringComparison.Ordinal);
    }

    private AwsOptions Options(string keyId, bool allowWrites = true)
    {
        var options = moto.Options(allowWrites);
        options.KmsKeyId = keyId;
        options.KmsRegion = Region;
        return options;
    }

    private async Task<string> CreateKeyAsync(KeySpec spec)
    {
        using var clients = MotoData.Clients(moto.Options());
        var response = await clients.Client<IAmazonKeyManagementService>(AwsService.Kms, Region, AwsPurpose.Write)
            .CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = KeyUsageType.SIGN_VERIFY, Description = "aworld evidence" });
        return response.KeyMetadata.KeyId;
    }
}
