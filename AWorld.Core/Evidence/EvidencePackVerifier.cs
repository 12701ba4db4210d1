using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AWorld.Core.Evidence;

/// <summary>One thing the verifier checked: the file (or "signature", "pack") and what it found.</summary>
public sealed record EvidenceCheck(string Subject, string Detail);

/// <summary>
/// The outcome of verifying one evidence pack. Verification stops at the first failure; <see cref="Checks"/> lists
/// what passed before it (all checks when <see cref="Verified"/>).
/// </summary>
/// <param name="Verified">True when every check passed.</param>
/// <param name="Checks">The checks that passed, in the order they ran, one line each when printed.</param>
/// <param name="Failure">The first failing file or signature and why; null when verified.</param>
/// <param name="DrillId">The drill the manifest names, once the manifest was read.</param>
/// <param name="KeyId">Fingerprint of the key the signature was checked with.</param>
/// <param name="KeyTrusted">True when that key was given by the caller; false when it was the pack's own (which proves integrity, not origin).</param>
/// <param name="ManifestSha256">SHA-256 of manifest.json, what the next pack's previousManifestSha256 must be.</param>
/// <param name="PreviousManifestSha256">The manifest's link to the previous pack; null for the first of a chain.</param>
public sealed record EvidencePackVerification(
    bool Verified,
    ImmutableArray<EvidenceCheck> Checks,
    EvidenceCheck? Failure,
    string? DrillId,
    string? KeyId,
    bool KeyTrusted,
    string? ManifestSha256,
    string? PreviousManifestSha256);

/// <summary>
/// Verifies an evidence pack offline: the zip is readable and holds each name once; the manifest's signature
/// verifies with the trusted key (or, without one, the pack's own key, whose fingerprint is reported); every file
/// the manifest lists is present with the listed SHA-256 and length, and nothing else is; audit.jsonl is a
/// hash chain ending at the manifest's head; report.json names the same drill and head. Stateless, thread-safe;
/// bounded to <see cref="MaxEntries"/> entries of at most <see cref="MaxEntryBytes"/> each.
/// </summary>
public static class EvidencePackVerifier
{
    public const int MaxEntries = 64;
    public const long MaxEntryBytes = 512L * 1024 * 1024;

    /// <summary>Verifies the pack in <paramref name="zip"/>; <paramref name="trustedPublicKeyPem"/> is the key it must be signed with, if known.</summary>
    public static EvidencePackVerification Verify(Stream zip, string? trustedPublicKeyPem = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        return new Run().Verify(zip, trustedPublicKeyPem);
    }

    /// <summary>
    /// Checks that verified packs, oldest first, form a chain: each one's previousManifestSha256 is the manifest hash
    /// of the one before. Null when they do; otherwise the first broken link.
    /// </summary>
    public static EvidenceCheck? ChainProblem(IReadOnlyList<EvidencePackVerification> packs)
    {
        for (var i = 0; i < packs.Count; i++)
        {
            if (!packs[i].Verified)
            {
                return new EvidenceCheck($"pack {i + 1} ({packs[i].DrillId ?? "unknown drill"})", "did not verify on its own");
            }

            if (i > 0 && !string.Equals(packs[i].PreviousManifestSha256, packs[i - 1].ManifestSha256, StringComparison.Ordinal))
            {
                return new EvidenceCheck(
                    $"pack {i + 1} ({packs[i].DrillId})",
                    $"links to previous manifest {packs[i].PreviousManifestSha256 ?? "(none)"}, but pack {i} ({packs[i - 1].DrillId}) has manifest {packs[i - 1].ManifestSha256}: a pack is missing, reordered or replaced");
            }
        }

        return null;
    }

    private sealed class Run
    {
        private readonly List<EvidenceCheck> _checks = [];
        private string? _drillId;
        private string? _keyId;
        private bool _keyTrusted;
        private string? _manifestSha256;
        private string? _previous;

        public EvidencePackVerification Verify(Stream zip, string? trustedPublicKeyPem)
        {
            var (entries, failure) = ReadEntries(zip);
            if (failure is not null)
            {
                return failure;
            }

            _checks.Add(new("pack", $"a readable zip of {entries!.Count} entries, each name once"));
            if (!entries.TryGetValue(EvidencePack.Manifest, out var manifestBytes))
            {
                return Fail(EvidencePack.Manifest, "missing: this is not an evidence pack, or its manifest was removed");
            }

            if (!entries.TryGetValue(EvidencePack.ManifestSignature, out var signature))
            {
                return Fail(EvidencePack.ManifestSignature, "missing: the manifest is not signed, or its signature was removed");
            }

            _manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
            var (key, keyFailure) = ChooseKey(entries, trustedPublicKeyPem);
            if (keyFailure is not null)
            {
                return keyFailure;
            }

            using (key)
            {
                bool valid;
                try
                {
                    valid = key!.VerifyData(manifestBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }
                catch (CryptographicException)
                {
                    valid = false;
                }

                if (!valid)
                {
                    return Fail("signature", $"{EvidencePack.ManifestSignature} does not verify over {EvidencePack.Manifest} with key {_keyId}: the manifest or its signature was altered, or the pack was signed by another key");
                }
            }

            _checks.Add(new("signature", $"{EvidencePack.ManifestSignature} verifies over {EvidencePack.Manifest} (ECDSA P-256 SHA-256, key {_keyId})"));

            EvidenceManifest? manifest;
            try
            {
                manifest = JsonSerializer.Deserialize<EvidenceManifest>(manifestBytes, EvidenceFiles.Json);
            }
            catch (JsonException e)
            {
                return Fail(EvidencePack.Manifest, $"signed but not a readable manifest ({e.Message})");
            }

            if (manifest is null || manifest.Format != EvidencePack.Format || manifest.Files.IsDefault)
            {
                return Fail(EvidencePack.Manifest, $"format '{manifest?.Format}' is not {EvidencePack.Format}");
            }

            _drillId = manifest.DrillId;
            _previous = manifest.PreviousManifestSha256;
            if (!string.Equals(manifest.SignerKeyId, _keyId, StringComparison.Ordinal))
            {
                return Fail(EvidencePack.Manifest, $"names signer key {manifest.SignerKeyId}, but its signature verified with key {_keyId}");
            }

            _checks.Add(new(EvidencePack.Manifest, $"drill {manifest.DrillId}, {manifest.Files.Length} files, created {EvidenceFiles.Timestamp(manifest.CreatedAt)}"));
            return Files(manifest, entries) ?? Layout(manifest) ?? Audit(manifest, entries) ?? Report(manifest, entries) ?? Done(manifest);
        }

        private readonly List<(string Name, DateTime ClockTime, string Comment)> _layout = [];

        private (Dictionary<string, byte[]>? Entries, EvidencePackVerification? Failure) ReadEntries(Stream zip)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException e)
            {
                return (null, Fail("pack", $"not a readable zip ({e.Message})"));
            }

            using (archive)
            {
                if (archive.Entries.Count > MaxEntries)
                {
                    return (null, Fail("pack", $"holds {archive.Entries.Count} entries; an evidence pack has {EvidencePack.ContentFiles.Length + 2}"));
                }

                if (archive.Comment.Length > 0)
                {
                    return (null, Fail("pack", "the zip carries a comment; a pack as written has none"));
                }

                foreach (var entry in archive.Entries)
                {
                    var name = entry.FullName;
                    _layout.Add((name, entry.LastWriteTime.DateTime, entry.Comment));
                    if (entries.ContainsKey(name))
                    {
                        return (null, Fail(name, "appears twice in the zip (duplicate entry): which copy counts would be ambiguous"));
                    }

                    if (entry.Length > MaxEntryBytes)
                    {
                        return (null, Fail(name, $"is {entry.Length:N0} bytes, more than the {MaxEntryBytes:N0} an evidence file may have"));
                    }

                    try
                    {
                        using var content = entry.Open();
                        var bytes = new byte[entry.Length];
                        content.ReadExactly(bytes);
                        if (content.ReadByte() >= 0)
                        {
                            return (null, Fail(name, "decompresses to more bytes than the zip records: the zip is corrupt"));
                        }

                        entries[name] = bytes;
                    }
                    catch (EndOfStreamException)
                    {
                        return (null, Fail(name, "decompresses to fewer bytes than the zip records: the zip is corrupt"));
                    }
                    catch (InvalidDataException e)
                    {
                        return (null, Fail(name, $"cannot be read from the zip, its data is corrupt ({e.Message})"));
                    }
                }
            }

            return (entries, null);
        }

        private (ECDsa? Key, EvidencePackVerification? Failure) ChooseKey(Dictionary<string, byte[]> entries, string? trustedPublicKeyPem)
        {
            ECDsa? embedded = null;
            string? embeddedProblem = null;
            if (entries.TryGetValue(EvidencePack.PublicKeyPem, out var embeddedBytes))
            {
                (embedded, embeddedProblem) = EvidenceKeys.ReadPublicKey(Encoding.ASCII.GetString(embeddedBytes));
            }
            else
            {
                embeddedProblem = "missing";
            }

            if (trustedPublicKeyPem is null)
            {
                if (embedded is null)
                {
                    return (null, Fail(EvidencePack.PublicKeyPem, $"{embeddedProblem}: without it (or a trusted public key) the signature cannot be checked"));
                }

                _keyId = EvidenceKeys.Fingerprint(embedded);
                _checks.Add(new(EvidencePack.PublicKeyPem, $"key {_keyId}, taken from the pack itself: this proves the pack is intact and signed by this key; trust in the key must come from elsewhere (compare the fingerprint, or pass the known public key)"));
                return (embedded, null);
            }

            using (embedded)
            {
                var (trusted, trustedProblem) = EvidenceKeys.ReadPublicKey(trustedPublicKeyPem);
                if (trusted is null)
                {
                    return (null, Fail("trusted key", trustedProblem!));
                }

                _keyId = EvidenceKeys.Fingerprint(trusted);
                _keyTrusted = true;
                if (embedded is not null && EvidenceKeys.Fingerprint(embedded) is var embeddedId && embeddedId != _keyId)
                {
                    trusted.Dispose();
                    return (null, Fail("signature", $"the pack is signed by key {embeddedId} (its {EvidencePack.PublicKeyPem}), not by the trusted key {_keyId}"));
                }

                _checks.Add(new("trusted key", $"key {_keyId}, given by the caller{(embedded is null ? "" : $"; the pack's {EvidencePack.PublicKeyPem} is the same key")}"));
                return (trusted, null);
            }
        }

        private EvidencePackVerification? Files(EvidenceManifest manifest, Dictionary<string, byte[]> entries)
        {
            var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var required in EvidencePack.ContentFiles.Where(f => !listed.Contains(f)))
            {
                return Fail(EvidencePack.Manifest, $"does not list {required}");
            }

            var unlisted = entries.Keys
                .Where(name => !listed.Contains(name) && name is not EvidencePack.Manifest and not EvidencePack.ManifestSignature)
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var file in manifest.Files.Where(f => !entries.ContainsKey(f.Path)))
            {
                var hint = unlisted.Count == 0 ? "" : $"; the pack holds unlisted {string.Join(", ", unlisted)} instead (renamed?)";
                return Fail(file.Path, $"missing: the manifest lists it (sha256 {file.Sha256}){hint}");
            }

            foreach (var name in unlisted)
            {
                return Fail(name, "not listed in the manifest: a file was added to the pack");
            }

            foreach (var file in manifest.Files)
            {
                var content = entries[file.Path];
                var actual = Convert.ToHexStringLower(SHA256.HashData(content));
                if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal) || content.LongLength != file.Bytes)
                {
                    return Fail(file.Path, $"altered: sha256 {actual} ({content.LongLength:N0} bytes), the manifest says {file.Sha256} ({file.Bytes:N0} bytes)");
                }

                _checks.Add(new(file.Path, $"sha256 {actual} ({content.LongLength:N0} bytes)"));
            }

            return null;
        }

        /// <summary>
        /// The container as the writer makes it: entries in fixed order, each stamped with the manifest's creation
        /// time, no comments. Contents are covered by the signed hashes; this catches reordering and re-stamping.
        /// </summary>
        private EvidencePackVerification? Layout(EvidenceManifest manifest)
        {
            string[] expected = [EvidencePack.Manifest, EvidencePack.ManifestSignature, .. manifest.Files.Select(f => f.Path)];
            for (var i = 0; i < expected.Length; i++)
            {
                if (!string.Equals(_layout[i].Name, expected[i], StringComparison.Ordinal))
                {
                    return Fail(_layout[i].Name, $"is entry {i + 1} of the zip; the pack's order is {string.Join(", ", expected)} (entries were reordered)");
                }
            }

            // Zip (MS-DOS) times hold the clock time to two seconds, in no time zone: compare clock times.
            var stamp = EvidencePack.ZipTime(manifest.CreatedAt).UtcDateTime;
            stamp = new DateTime(stamp.Ticks - (stamp.Ticks % (2 * TimeSpan.TicksPerSecond)), DateTimeKind.Unspecified);
            foreach (var (name, clockTime, comment) in _layout)
            {
                if (clockTime != stamp)
                {
                    return Fail(name, $"is stamped {clockTime:yyyy-MM-dd HH:mm:ss} in the zip, not the pack's creation time {stamp:yyyy-MM-dd HH:mm:ss} (re-packed?)");
                }

                if (comment.Length > 0)
                {
                    return Fail(name, "carries a zip comment; a pack as written has none");
                }
            }

            _checks.Add(new("pack", "entries in the writer's order, stamped with the creation time, no comments"));
            return null;
        }

        private EvidencePackVerification? Audit(EvidenceManifest manifest, Dictionary<string, byte[]> entries)
        {
            var rest = entries[EvidencePack.AuditJsonl].AsSpan();
            var audit = new List<AuditEntry>((int)Math.Min(manifest.AuditEntries, 1_000_000));
            for (var line = 1; !rest.IsEmpty; line++)
            {
                var end = rest.IndexOf((byte)'\n');
                var json = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                AuditEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<AuditEntry>(json, EvidenceFiles.JsonLine);
                }
                catch (JsonException)
                {
                    entry = null;
                }

                if (entry is null || entry.Hash is null || entry.PreviousHash is null)
                {
                    return Fail(EvidencePack.AuditJsonl, $"line {line} is not an audit entry");
                }

                audit.Add(entry);
            }

            if (audit.Count != manifest.AuditEntries)
            {
                return Fail(EvidencePack.AuditJsonl, $"holds {audit.Count} entries, the manifest says {manifest.AuditEntries}");
            }

            if (AuditChain.Problem(audit) is { } problem)
            {
                return Fail(EvidencePack.AuditJsonl, $"the hash chain is broken at {problem}");
            }

            var head = audit.Count == 0 ? AuditEntry.GenesisHash : audit[^1].Hash;
            var start = audit.Count == 0 ? AuditEntry.GenesisHash : audit[0].PreviousHash;
            if (!string.Equals(head, manifest.AuditChainHead, StringComparison.Ordinal))
            {
                return Fail(EvidencePack.AuditJsonl, $"the chain ends at {head}, the manifest's audit chain head is {manifest.AuditChainHead}");
            }

            if (audit.Count > 0 && (audit[0].Sequence != manifest.AuditFirstSequence || !string.Equals(start, manifest.AuditChainBase, StringComparison.Ordinal)))
            {
                return Fail(EvidencePack.AuditJsonl, $"starts at entry {audit[0].Sequence} linked to {start}, the manifest says entry {manifest.AuditFirstSequence} linked to {manifest.AuditChainBase}");
            }

            _checks.Add(new(EvidencePack.AuditJsonl, audit.Count == 0
                ? "no audit entries"
                : $"{audit.Count} entries, {audit[0].Sequence} to {audit[^1].Sequence}, hash-chained; head {head} = manifest"));
            return null;
        }

        private EvidencePackVerification? Report(EvidenceManifest manifest, Dictionary<string, byte[]> entries)
        {
            string? drillId = null;
            string? head = null;
            try
            {
                // Only two top-level fields matter here; read past the rest without building a tree.
                var reader = new Utf8JsonReader(entries[EvidencePack.ReportJson]);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return Fail(EvidencePack.ReportJson, "is not a JSON object");
                }

                // The bytes are already proven to be the signed ones, so stop once both are found (before the metrics).
                while ((drillId is null || head is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name is "drillId" or "auditChainHead" && reader.TokenType == JsonTokenType.String)
                    {
                        (drillId, head) = name == "drillId" ? (reader.GetString(), head) : (drillId, reader.GetString());
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException e)
            {
                return Fail(EvidencePack.ReportJson, $"not readable JSON ({e.Message})");
            }

            if (!string.Equals(drillId, manifest.DrillId, StringComparison.Ordinal))
            {
                return Fail(EvidencePack.ReportJson, $"is the report of drill '{drillId}', the manifest is for drill '{manifest.DrillId}'");
            }

            if (!string.Equals(head, manifest.AuditChainHead, StringComparison.Ordinal))
            {
                return Fail(EvidencePack.ReportJson, $"names audit chain head {head}, the manifest {manifest.AuditChainHead}");
            }

            _checks.Add(new(EvidencePack.ReportJson, $"drill {drillId} and audit chain head match the manifest"));
            return null;
        }

        private EvidencePackVerification Done(EvidenceManifest manifest)
        {
            _checks.Add(new("chain", manifest.PreviousManifestSha256 is { } previous
                ? $"follows the pack whose manifest has sha256 {previous}"
                : "first pack of its chain (no previous manifest)"));
            return new(true, [.. _checks], null, _drillId, _keyId, _keyTrusted, _manifestSha256, _previous);
        }

        private EvidencePackVerification Fail(string subject, string why) =>
            new(false, [.. _checks], new EvidenceCheck(subject, why), _drillId, _keyId, _keyTrusted, _manifestSha256, _previous);
    }
}
