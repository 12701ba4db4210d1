using AWorld.Core.Evidence;

namespace AWorld.Core.Tests.Evidence;

public class AuditEntryHashTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    // Expected values computed outside .NET (Python hashlib) from the documented encoding, so a change to the
    // encoding, or to how it is computed, cannot pass unnoticed: every stored chain would stop verifying.
    [Fact]
    public void Hash_MatchesTheDocumentedEncoding()
    {
        var entry = new AuditEntry(7, At, "olivia", "Operator", "fault.inject", "outage eu-west-1 ✓", "succeeded", null, AuditEntry.GenesisHash, "");

        Assert.Equal("d1231cc88da63e39be9a9a599eb38aeb96682e1f5400fc2a09cd8d8880f959cb", entry.ComputeHash());
    }

    [Fact]
    public void Hash_OfAnEntryLargerThanTheStackBuffer_MatchesTheDocumentedEncoding()
    {
        var entry = new AuditEntry(8, At.AddSeconds(1), "olivia", "", "sign-in", "console", "failed", new string('x', 600), new string('a', 64), "");

        Assert.Equal("9b40c86872aba6a703f329b8e5a08b9f53f7c72947930b38ff03a7fa6412a5fa", entry.ComputeHash());
    }
}
