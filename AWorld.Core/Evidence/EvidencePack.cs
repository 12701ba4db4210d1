using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using AWorld.Core.Drills;

namespace AWorld.Core.Evidence;

/// <summary>
/// Writes a drill's evidence pack: a zip of report.pdf, report.json, timeline.csv, metrics.csv, audit.jsonl,
/// public-key.pem, manifest.json (SHA-256 of each, the audit chain head, the previous pack's manifest hash) and
/// manifest.sig (the signer's DER ECDSA P-256 signature over manifest.json's exact bytes). Deterministic: fixed entry
/// order, timestamps from the report, no wall clock, so the same inputs give the same bytes. Stateless and thread-safe.
/// <see cref="EvidencePackVerifier"/> checks a pack offline.
/// </summary>
public static class EvidencePack
{
    public const string Format = "aworld.evidence-pack.v1";
    public const string SignatureAlgorithm = "ECDSA P-256 SHA-256, DER (RFC 3279)";
    public const string ReportPdf = "report.pdf";
    public const string ReportJson = "report.json";
    public const string TimelineCsv = "timeline.csv";
    public const string MetricsCsv = "metrics.csv";
    public const string AuditJsonl = "audit.jsonl";
    public const string PublicKeyPem = "public-key.pem";
    public const string Manifest = "manifest.json";
    public const string ManifestSignature = "manifest.sig";

    /// <summary>The files the manifest lists, in the order it lists them and the zip holds them.</summary>
    public static readonly ImmutableArray<string> ContentFiles = [ReportPdf, ReportJson, TimelineCsv, MetricsCsv, AuditJsonl, PublicKeyPem];

    // The earliest time a zip entry can carry (MS-DOS date).
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ZipEnd = new(2107, 12, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes the pack of <paramref name="report"/> to <paramref name="output"/> and returns the lowercase hex
    /// SHA-256 of its manifest.json, to pass as <paramref name="previousManifestSha256"/> for the next pack.
    /// <paramref name="audit"/> is the drill's contiguous slice of the audit chain, ending at the report's
    /// <see cref="DrillReport.AuditChainHead"/>; an inconsistent slice throws <see cref="ArgumentException"/>
    /// (a pack that would not verify is never written).
    /// </summary>
    public static async Task<string> WriteAsync(
        DrillReport report,
        IReadOnlyList<AuditEntry> audit,
        string? previousManifestSha256,
        IEvidenceSigner signer,
        Stream output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(output);
        if (previousManifestSha256 is not null && !IsSha256Hex(previousManifestSha256))
        {
            throw new ArgumentException($"The previous manifest hash '{previousManifestSha256}' is not 64 lowercase hex digits (a SHA-256 as WriteAsync returns it).", nameof(previousManifestSha256));
        }

        if (AuditChain.Problem(audit) is { } problem)
        {
            throw new ArgumentException($"The audit entries of drill {report.DrillId} do not form a chain: {problem}.", nameof(audit));
        }

        var head = audit.Count == 0 ? AuditEntry.GenesisHash : audit[^1].Hash;
        if (!string.Equals(head, report.AuditChainHead, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The audit entries end at {head}, but report {report.DrillId} names {report.AuditChainHead} as the audit chain head; pass the entries up to that head.", nameof(audit));
        }

        var publicKey = signer.PublicKeyPem;
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ReportPdf] = DrillReportPdf.Render(report),
            [ReportJson] = EvidenceFiles.ReportJson(report),
            [TimelineCsv] = EvidenceFiles.TimelineCsv(report),
            [MetricsCsv] = EvidenceFiles.MetricsCsv(report),
            [AuditJsonl] = EvidenceFiles.AuditJsonl(audit),
            [PublicKeyPem] = System.Text.Encoding.ASCII.GetBytes(publicKey.EndsWith('\n') ? publicKey : publicKey + "\n"),
        };
        var createdAt = (report.SignOff?.At ?? report.EndedAt).ToUniversalTime();
        var manifest = new EvidenceManifest(
            Format,
            report.DrillId,
            createdAt,
            [.. ContentFiles.Select(name => new EvidenceManifestFile(name, Convert.ToHexStringLower(SHA256.HashData(contents[name])), contents[name].LongLength))],
            head,
            audit.Count,
            audit.Count == 0 ? 0 : audit[0].Sequence,
            audit.Count == 0 ? AuditEntry.GenesisHash : audit[0].PreviousHash,
            previousManifestSha256,
            signer.KeyId,
            PublicKeyPem,
            SignatureAlgorithm);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceFiles.Json);
        var signature = await signer.SignAsync(manifestBytes, cancellationToken);

        var entryTime = ZipTime(createdAt);
        // Sized for the stored contents so it never regrows (deflate only shrinks them).
        using var zip = new MemoryStream(1024 + manifestBytes.Length + signature.Length + contents.Values.Sum(c => c.Length + 128));
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, Manifest, manifestBytes, entryTime);
            Add(archive, ManifestSignature, signature, entryTime);
            foreach (var name in ContentFiles)
            {
                Add(archive, name, contents[name], entryTime);
            }
        }

        zip.Position = 0;
        await zip.CopyToAsync(output, cancellationToken);
        return Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
    }

    /// <summary>The time every entry of a pack carries: its creation time, moved into the range a zip can hold.</summary>
    internal static DateTimeOffset ZipTime(DateTimeOffset createdAt)
    {
        var utc = createdAt.ToUniversalTime();
        return utc < ZipEpoch ? ZipEpoch : utc > ZipEnd ? ZipEnd : utc;
    }

    internal static bool IsSha256Hex(string text) => text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static void Add(ZipArchive archive, string name, byte[] content, DateTimeOffset at)
    {
        // The PDF is compressed already; deflating it again costs time for nothing.
        var entry = archive.CreateEntry(name, name == ReportPdf ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
        entry.LastWriteTime = at;
        using var stream = entry.Open();
        stream.Write(content);
    }
}
