using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AWorld.Core.Evidence;

/// <summary>
/// The default <see cref="IEvidenceSigner"/>: an ECDSA P-256 key kept as PKCS#8 PEM in
/// <c>evidence-signing-key.pem</c> in the given directory (the console's data directory). The key is created on
/// first use (file mode 600 on Unix) and loaded afterwards. Creation is safe against a racing process or instance:
/// the key is written to a temporary file and moved into place without overwriting, so exactly one key wins and
/// everyone loads it. Thread-safe. A key file that cannot be read throws <see cref="EvidenceKeyException"/>
/// naming the file and what to do; a file is never silently replaced, since packs signed with it would no longer verify.
/// </summary>
public sealed class LocalEvidenceSigner : IEvidenceSigner, IDisposable
{
    /// <summary>The key file's name inside the directory.</summary>
    public const string KeyFileName = "evidence-signing-key.pem";

    private readonly Lazy<(ECDsa Key, string KeyId, string Pem)> _key;
    private readonly Lock _signing = new();

    public LocalEvidenceSigner(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        KeyPath = Path.GetFullPath(Path.Combine(directory, KeyFileName));
        _key = new Lazy<(ECDsa, string, string)>(LoadOrCreate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Full path of the key file.</summary>
    public string KeyPath { get; }

    public string KeyId => _key.Value.KeyId;

    public string PublicKeyPem => _key.Value.Pem;

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = _key.Value.Key;
        lock (_signing)
        {
            return Task.FromResult(key.SignData(data.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Key.Dispose();
        }
    }

    private (ECDsa, string, string) LoadOrCreate()
    {
        if (!File.Exists(KeyPath))
        {
            Create();
        }

        string pem;
        try
        {
            pem = File.ReadAllText(KeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EvidenceKeyException($"The evidence signing key {KeyPath} cannot be read ({e.Message}). Give the console's user read access to it.", e);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"an EC key of {key.KeySize} bits, not P-256");
            }

            // A public-only PEM would load but could not sign; find that now, not at the first export.
            _ = key.ExportECPrivateKey();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new EvidenceKeyException(
                $"The evidence signing key {KeyPath} is not a readable ECDSA P-256 private key (PKCS#8 PEM): {e.Message}. " +
                "Restore the file from backup. Only if the key is lost, move the file away so a new key is created on next use; " +
                "packs signed with the old key then verify only with its public key (kept in each pack as public-key.pem).", e);
        }

        return (key, EvidenceKeys.Fingerprint(key), key.ExportSubjectPublicKeyInfoPem());
    }

    private void Create()
    {
        var directory = Path.GetDirectoryName(KeyPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{KeyFileName}.{Guid.NewGuid():N}.tmp");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(temporary, options);
            using var writer = new StreamWriter(file);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        // No overwrite: when another instance got there first, its key stays and ours is dropped. On Unix,
        // File.Move(overwrite: false) checks and then renames, so two racing instances could both "win" and one would
        // sign with a key the file no longer holds; link(2) fails atomically when the name exists.
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temporary, KeyPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(KeyPath))
            {
                File.Delete(temporary);
            }

            return;
        }

        var linked = Link(temporary, KeyPath) == 0;
        var error = Marshal.GetLastPInvokeError();
        File.Delete(temporary);
        if (!linked && error != AlreadyExists)
        {
            throw new EvidenceKeyException($"The evidence signing key {KeyPath} could not be created (errno {error}). Give the console's user write access to {directory}.");
        }
    }

    private const int AlreadyExists = 17; // EEXIST

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}

/// <summary>The evidence signing key file exists but cannot be used; the message names the file and the fix.</summary>
public sealed class EvidenceKeyException : InvalidOperationException
{
    public EvidenceKeyException()
    {
    }

    public EvidenceKeyException(string message)
        : base(message)
    {
    }

    public EvidenceKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
