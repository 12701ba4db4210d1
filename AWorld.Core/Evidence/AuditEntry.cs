using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AWorld.Core.Evidence;

/// <summary>
/// One link of the audit chain: who did what, when, with what outcome. <see cref="Hash"/> is the lowercase hex
/// SHA-256 of every other field (see <see cref="ComputeHash"/>), so it covers <see cref="PreviousHash"/> and with it
/// the whole chain before this entry.
/// </summary>
/// <param name="Sequence">1-based and gapless: the first entry is 1, each next one is the previous plus one.</param>
/// <param name="At">When it was appended, in UTC (offset zero).</param>
/// <param name="Actor">The user name of who acted (or tried to).</param>
/// <param name="Role">Their role at the time; empty when unknown (a failed sign-in for a user who does not exist).</param>
/// <param name="Action">What was done, dotted: <c>sign-in</c>, <c>fault.inject</c>, <c>clock.speed</c>.</param>
/// <param name="Target">What it was done to.</param>
/// <param name="Outcome">How it went: <c>succeeded</c>, <c>failed</c>, <c>throttled</c>, ...</param>
/// <param name="Reason">Detail that explains the outcome (an address, a fault id, a value), if any.</param>
/// <param name="PreviousHash">The previous entry's <see cref="Hash"/>; <see cref="GenesisHash"/> for entry 1.</param>
/// <param name="Hash">Lowercase hex SHA-256 of the fields above; see <see cref="ComputeHash"/>.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Target,
    string Outcome,
    string? Reason,
    string PreviousHash,
    string Hash)
{
    /// <summary>The previous hash of the first entry: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    // Bumped if the encoding ever changes, so that a hash can never be read under the wrong rules.
    private static readonly byte[] EncodingTag = "aworld.audit.v1"u8.ToArray();

    /// <summary>
    /// The hash this entry should carry, computed from its content alone (its own <see cref="Hash"/> is ignored).
    /// The encoding is unambiguous: a version tag, <see cref="Sequence"/> and the UTC ticks of <see cref="At"/> as
    /// 8-byte big-endian integers, then each text field as a 4-byte big-endian UTF-8 length (-1 for a null
    /// <see cref="Reason"/>) followed by its bytes.
    /// </summary>
    public string ComputeHash()
    {
        // One buffer and one-shot hashing: verifying a pack or the whole log hashes thousands of entries.
        ReadOnlySpan<string?> fields = [Actor, Role, Action, Target, Outcome, Reason, PreviousHash];
        var length = EncodingTag.Length + 16;
        foreach (var field in fields)
        {
            length += 4 + (field is null ? 0 : Encoding.UTF8.GetByteCount(field));
        }

        var rented = length <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented is null ? stackalloc byte[1024] : rented;
        try
        {
            EncodingTag.CopyTo(buffer);
            var at = EncodingTag.Length;
            BinaryPrimitives.WriteInt64BigEndian(buffer[at..], Sequence);
            BinaryPrimitives.WriteInt64BigEndian(buffer[(at + 8)..], At.UtcTicks);
            at += 16;
            foreach (var field in fields)
            {
                if (field is null)
                {
                    BinaryPrimitives.WriteInt32BigEndian(buffer[at..], -1);
                    at += 4;
                    continue;
                }

                var written = Encoding.UTF8.GetBytes(field, buffer[(at + 4)..]);
                BinaryPrimitives.WriteInt32BigEndian(buffer[at..], written);
                at += 4 + written;
            }

            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..at], digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
