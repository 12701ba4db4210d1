namespace AWorld.Core.Evidence;

/// <summary>
/// The result of walking the audit chain from entry 1. Verification stops at the first problem.
/// </summary>
/// <param name="Verified">True when every entry's hash matches its content and links to the one before, without gaps.</param>
/// <param name="EntriesChecked">How many entries verified before the first problem (all of them when <paramref name="Verified"/>).</param>
/// <param name="HeadHash">The hash of the last entry that verified; <see cref="AuditEntry.GenesisHash"/> when none did.</param>
/// <param name="FirstBadSequence">The sequence of the first entry that fails (or is missing); null when verified.</param>
/// <param name="Problem">What is wrong with that entry, in plain words; null when verified.</param>
public sealed record AuditVerification(bool Verified, long EntriesChecked, string HeadHash, long? FirstBadSequence, string? Problem);
