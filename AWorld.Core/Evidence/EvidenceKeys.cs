using System.Security.Cryptography;

namespace AWorld.Core.Evidence;

/// <summary>Key helpers shared by the signer and the verifier: one definition of a key's fingerprint.</summary>
internal static class EvidenceKeys
{
    /// <summary>Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo.</summary>
    public static string Fingerprint(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>Reads a PEM public key; null with a reason when it is not an EC P-256 public key.</summary>
    public static (ECDsa? Key, string? Problem) ReadPublicKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            return (null, "not a PEM public key (expected a \"PUBLIC KEY\" block holding an ECDSA P-256 key)");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            return (null, $"an EC key of {key.KeySize} bits, not P-256");
        }

        return (key, null);
    }

    public static string ShortId(string keyId) => keyId.Length > 16 ? keyId[..16] : keyId;
}
