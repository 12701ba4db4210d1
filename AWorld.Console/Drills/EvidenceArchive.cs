using AWorld.Core.Engine;
using AWorld.Console.Storage;
using AWorld.Core.Drills;
using AWorld.Core.Evidence;
using Microsoft.EntityFrameworkCore;

namespace AWorld.Console.Drills;

/// <summary>
/// The console's evidence packs: one zip per drill in <c>evidence/</c> of the data directory, signed through
/// <see cref="IEvidenceSigner"/> (the local key in the data directory unless a KMS signer is registered), each
/// manifest chained to the pack written before it, in one chain for the whole console.
/// </summary>
/// <remarks>Thread-safe: pack writing is serialised so that the chain has no forks.</remarks>
public sealed class EvidenceArchive(DataDirectory data, IEvidenceSigner signer, IDbContextFactory<ConsoleDbContext> contexts, [FromKeyedServices(EstateClock.Key)] TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Folder { get; } = Directory.CreateDirectory(Path.Combine(data.Path, "evidence")).FullName;

    public string PublicKeyPem => signer.PublicKeyPem;

    public string KeyId => signer.KeyId;

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Writes (or rewrites, after a sign-off) the pack of a drill whose row exists, chained to the newest pack, and
    /// records the file and hashes on the row. The file appears under its name only once complete.
    /// </summary>
    public async Task WriteAsync(string drillId, DrillReport report, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.Drills.SingleAsync(d => d.Id == drillId, cancellationToken);
            var newest = await db.EvidencePacks.AsNoTracking().OrderByDescending(p => p.Sequence).FirstOrDefaultAsync(cancellationToken);
            var sequence = (newest?.Sequence ?? 0) + 1;
            var file = $"{drillId}-{sequence:D6}.zip";
            var path = Path.Combine(Folder, file);
            string manifest;
            await using (var output = File.Create(path + ".partial"))
            {
                manifest = await EvidencePack.WriteAsync(report, audit, newest?.ManifestSha256, signer, output, cancellationToken);
            }

            File.Move(path + ".partial", path, overwrite: true);
            row.PackFile = file;
            row.PreviousManifestSha256 = newest?.ManifestSha256;
            row.ManifestSha256 = manifest;
            row.Version++;
            db.EvidencePacks.Add(new EvidencePackRow { Sequence = sequence, DrillId = drillId, File = file, ManifestSha256 = manifest, PreviousManifestSha256 = newest?.ManifestSha256, WrittenAtTicks = time.GetUtcNow().UtcTicks });
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens a drill's current pack for reading, or null when it has none (yet).</summary>
    public async Task<(Stream Content, string FileName)?> OpenAsync(string drillId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.Drills.AsNoTracking().Where(d => d.Id == drillId).Select(d => d.PackFile).FirstOrDefaultAsync(cancellationToken);
        if (file is null || !File.Exists(Path.Combine(Folder, file)))
        {
            return null;
        }

        return (File.OpenRead(Path.Combine(Folder, file)), file);
    }

    /// <summary>Verifies an uploaded pack against this console's signing key.</summary>
    public EvidencePackVerification Verify(Stream zip) => EvidencePackVerifier.Verify(zip, signer.PublicKeyPem);

    /// <summary>
    /// Verifies every pack ever written (a signed-off drill's earlier pack included) against this console's key, and
    /// that they form one chain; the number verified and the first problem, or null.
    /// </summary>
    public async Task<(int Packs, EvidenceCheck? Problem)> VerifyAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var files = await db.EvidencePacks.AsNoTracking().OrderBy(p => p.Sequence).Select(p => p.File).ToListAsync(cancellationToken);
        var results = new List<EvidencePackVerification>();
        foreach (var file in files)
        {
            await using var zip = File.OpenRead(Path.Combine(Folder, file));
            var result = EvidencePackVerifier.Verify(zip, signer.PublicKeyPem);
            if (!result.Verified)
            {
                return (results.Count, new EvidenceCheck(file, $"{result.Failure!.Subject}: {result.Failure.Detail}"));
            }

            results.Add(result);
        }

        return (results.Count, EvidencePackVerifier.ChainProblem(results));
    }
}
