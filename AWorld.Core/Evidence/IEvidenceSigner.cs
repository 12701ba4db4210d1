namespace AWorld.Core.Evidence;

/// <summary>
/// Signs evidence pack manifests. The port behind which the signing key lives: <see cref="LocalEvidenceSigner"/> keeps
/// an ECDSA P-256 key file in the console's data directory; a KMS adapter (an asymmetric ECC_NIST_P256 key, signing
/// algorithm ECDSA_SHA_256) can replace it because the signature format is the same. Implementations are thread-safe.
/// </summary>
public interface IEvidenceSigner
{
    /// <summary>The key's fingerprint: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    string KeyId { get; }

    /// <summary>The public key as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo), as it is put into every pack.</summary>
    string PublicKeyPem { get; }

    /// <summary>
    /// Signs <paramref name="data"/> with ECDSA P-256 over its SHA-256 and returns the DER-encoded signature
    /// (an ASN.1 SEQUENCE of r and s, as KMS returns it).
    /// </summary>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
