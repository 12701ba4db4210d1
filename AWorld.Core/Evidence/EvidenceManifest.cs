using System.Collections.Immutable;

namespace AWorld.Core.Evidence;

/// <summary>
/// manifest.json: what the pack holds and what it claims, signed as a whole (manifest.sig covers its exact bytes).
/// </summary>
/// <param name="Format">Always <see cref="EvidencePack.Format"/>; a verifier refuses a format it does not know.</param>
/// <param name="DrillId">The drill the pack is evidence of; report.json must say the same.</param>
/// <param name="CreatedAt">The report's sign-off time, or its end when not signed off (never the wall clock, so packs reproduce).</param>
/// <param name="Files">Every other file of the pack in fixed order, with SHA-256 (lowercase hex) and length.</param>
/// <param name="AuditChainHead">The hash of the last entry of audit.jsonl, and the report's audit chain head.</param>
/// <param name="AuditEntries">How many entries audit.jsonl holds.</param>
/// <param name="AuditFirstSequence">The sequence of its first entry (the drill's slice of the global chain).</param>
/// <param name="AuditChainBase">The previous hash its first entry links to (<see cref="AuditEntry.GenesisHash"/> at the chain's start).</param>
/// <param name="PreviousManifestSha256">SHA-256 of the previous pack's manifest.json, chaining packs; null for the first.</param>
/// <param name="SignerKeyId">Fingerprint of the signing key (SHA-256 of its SubjectPublicKeyInfo).</param>
/// <param name="PublicKeyFile">The file in the pack that holds the signing key's public half.</param>
/// <param name="SignatureAlgorithm">How manifest.sig is made.</param>
internal sealed record EvidenceManifest(
    string Format,
    string DrillId,
    DateTimeOffset CreatedAt,
    ImmutableArray<EvidenceManifestFile> Files,
    string AuditChainHead,
    long AuditEntries,
    long AuditFirstSequence,
    string AuditChainBase,
    string? PreviousManifestSha256,
    string SignerKeyId,
    string PublicKeyFile,
    string SignatureAlgorithm);

internal sealed record EvidenceManifestFile(string Path, string Sha256, long Bytes);
