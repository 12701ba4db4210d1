using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Aws.Data;

/// <summary>
/// <see cref="IEvidenceSigner"/> with an asymmetric KMS key (<see cref="AwsOptions.KmsKeyId"/>, in
/// <see cref="AwsOptions.KmsRegion"/> or the estate's first region): key spec ECC_NIST_P256, usage SIGN_VERIFY, signing
/// algorithm ECDSA_SHA_256. The private key never leaves KMS; the public key (<c>GetPublicKey</c>, a DER
/// SubjectPublicKeyInfo) is read once and gives <see cref="PublicKeyPem"/> and <see cref="KeyId"/>
/// (<c>EvidenceKeys.Fingerprint</c>, as the local signer's), so a pack verifies offline with
/// <see cref="EvidencePackVerifier"/> exactly as one signed by the local key file.
/// </summary>
/// <remarks>
/// <para>KMS signs the SHA-256 of the data: data of up to <see cref="RawMessageLimit"/> bytes (every manifest) is sent as
/// <c>MessageType RAW</c> and KMS hashes it; larger data is hashed here and sent as <c>MessageType DIGEST</c>, so any
/// size works. Both give the same signature over SHA-256(data). Every signature KMS returns is verified here against
/// the public key before it is handed out: a signature that would not verify (another key, or an emulator that
/// mishandles DIGEST, as moto 5.2 does) is an error now, never a pack that fails later.</para>
/// <para>Signing changes nothing in the account, so <see cref="AwsOptions.AllowWrites"/> does not gate it; it runs
/// under the write credentials (drills sign their evidence; a read-only watcher cannot). Thread-safe. The properties
/// block on the first call until the public key is read; <see cref="LoadAsync"/> reads it without blocking.</para>
/// </remarks>
public sealed class KmsEvidenceSigner : IEvidenceSigner, IDisposable
{
    /// <summary>The most KMS takes as a RAW message.</summary>
    public const int RawMessageLimit = 4096;

    private const string NistP256Oid = "1.2.840.10045.3.1.7";

    private readonly AwsSdkClients _clients;
    private readonly string _keyId;
    private readonly string _region;
    private readonly Lock _gate = new();
    private Task<PublicKey>? _key;

    public KmsEvidenceSigner(AwsSdkClients clients, EstateTopology estate)
    {
        _clients = clients;
        _keyId = string.IsNullOrWhiteSpace(clients.Options.KmsKeyId)
            ? throw new InvalidOperationException("Estate:Aws:KmsKeyId is empty; the KMS evidence signer is registered only when a key is configured.")
            : clients.Options.KmsKeyId;
        _region = string.IsNullOrWhiteSpace(clients.Options.KmsRegion) ? estate.Regions[0].Code : clients.Options.KmsRegion;
    }

    /// <summary>The KMS key (id, ARN or alias) as configured.</summary>
    public string KmsKeyId => _keyId;

    public string KmsRegion => _region;

    /// <exception cref="EstateServiceException">KMS refused GetPublicKey, or the key is not an ECC_NIST_P256 signing key.</exception>
    public string KeyId => Key().Fingerprint;

    /// <exception cref="EstateServiceException">KMS refused GetPublicKey, or the key is not an ECC_NIST_P256 signing key.</exception>
    public string PublicKeyPem => Key().Pem;

    /// <summary>Reads and checks the public key (once; again after a failure).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default) => await Loading().WaitAsync(cancellationToken);

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var key = await Loading().WaitAsync(cancellationToken);
        var digest = SHA256.HashData(data.Span);
        var raw = data.Length is > 0 and <= RawMessageLimit;
        var request = new SignRequest
        {
            KeyId = _keyId,
            Message = new MemoryStream(raw ? data.ToArray() : digest),
            MessageType = raw ? MessageType.RAW : MessageType.DIGEST,
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        };
        var response = await _clients.ActAsync<IAmazonKeyManagementService, SignResponse>(
            AwsService.Kms, _region, "kms:Sign", (client, token) => client.SignAsync(request, token), cancellationToken);
        var signature = response.Signature?.ToArray() ?? [];
        if (!key.Verify(digest, signature))
        {
            throw new EstateServiceException("KMS", _region, "SignatureMismatch",
                $"KMS key {_keyId} returned a signature (MessageType {request.MessageType.Value}) that does not verify over the data's SHA-256 with the key's public key {key.Fingerprint}. " +
                "An evidence pack signed with it would not verify, so none is written. Check that the key is an ECC_NIST_P256 key and that the endpoint is KMS itself.");
        }

        return signature;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_key is { IsCompletedSuccessfully: true } loaded)
            {
                loaded.Result.Dispose();
            }
        }
    }

    private PublicKey Key() => Loading().GetAwaiter().GetResult();

    /// <summary>The one read of the public key, shared by every caller (each waits with its own token); a failed read is tried again.</summary>
    private Task<PublicKey> Loading()
    {
        lock (_gate)
        {
            if (_key is null || _key.IsFaulted || _key.IsCanceled)
            {
                // On the thread pool, off any synchronization context (a Blazor renderer's), so that a property
                // blocking on it cannot deadlock the read's continuations.
                _key = Task.Run(ReadKeyAsync);
            }

            return _key;
        }
    }

    private async Task<PublicKey> ReadKeyAsync()
    {
        // Bounded by the client's timeout and retries, not by whichever caller came first.
        var response = await _clients.ReadAsync<IAmazonKeyManagementService, GetPublicKeyResponse>(
            AwsService.Kms, _region, "kms:GetPublicKey",
            (client, token) => client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _keyId }, token),
            CancellationToken.None);
        // The key material decides, not KeySpec: moto 5.2, for one, sends only the older CustomerMasterKeySpec.
        var ecdsa = ECDsa.Create();
        bool p256;
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(response.PublicKey.ToArray(), out _);
            p256 = ecdsa.ExportParameters(false).Curve.Oid.Value == NistP256Oid;
        }
        catch (CryptographicException)
        {
            p256 = false;
        }

        if (!p256 || response.KeyUsage != KeyUsageType.SIGN_VERIFY)
        {
            ecdsa.Dispose();
            var spec = response.KeySpec?.Value;
            throw new EstateServiceException("KMS", _region, "UnsupportedKey",
                $"KMS key {_keyId} is {spec ?? "a key"} for {response.KeyUsage?.Value ?? "an unknown usage"}; evidence packs need an ECC_NIST_P256 key for SIGN_VERIFY (signing algorithm ECDSA_SHA_256). Set Estate:Aws:KmsKeyId to such a key, or leave it empty to sign with the local key file.");
        }

        return new PublicKey(ecdsa, EvidenceKeys.Fingerprint(ecdsa), ecdsa.ExportSubjectPublicKeyInfoPem());
    }

    private sealed class PublicKey(ECDsa key, string fingerprint, string pem) : IDisposable
    {
        private readonly Lock _gate = new();

        public string Fingerprint => fingerprint;

        public string Pem => pem;

        public bool Verify(byte[] digest, byte[] signature)
        {
            lock (_gate)
            {
                try
                {
                    return key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
                }
                catch (CryptographicException)
                {
                    return false;
                }
            }
        }

        public void Dispose() => key.Dispose();
    }
}
