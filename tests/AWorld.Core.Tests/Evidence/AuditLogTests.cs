using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Evidence;

public sealed class AuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryAuditStore _store = new();
    private readonly AuditLog _log;

    public AuditLogTests() => _log = new AuditLog(_store, _time);

    public void Dispose() => _log.Dispose();

    public static TheoryData<string, int> FieldsAndEntries()
    {
        var data = new TheoryData<string, int>();
        foreach (var field in new[] { "Sequence", "At", "Actor", "Role", "Action", "Target", "Outcome", "Reason", "ReasonToNull", "PreviousHash", "Hash" })
        {
            foreach (var sequence in new[] { 1, 4, 10 })
            {
                data.Add(field, sequence);
            }
        }

        return data;
    }

    [Fact]
    public async Task Append_NumbersEntriesFromOne_AndLinksEachToThePrevious()
    {
        var first = await _log.AppendAsync("olivia", "Operator", "sign-in", "console", "succeeded", "10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(3));
        var second = await _log.AppendAsync("olivia", "Operator", "fault.inject", "outage eu-west-1", "succeeded", null);

        Assert.Equal((1L, AuditEntry.GenesisHash, Start), (first.Sequence, first.PreviousHash, first.At));
        Assert.Equal((2L, first.Hash, Start.AddSeconds(3)), (second.Sequence, second.PreviousHash, second.At));
        Assert.Matches("^[0-9a-f]{64}$", first.Hash);
        Assert.Equal([first, second], _store.Entries);
    }

    [Fact]
    public async Task Hash_DependsOnWhereFieldBoundariesFall()
    {
        var a = await _log.AppendAsync("ab", "c", "x", "t", "o");
        var b = a with { Actor = "a", Role = "bc" };

        Assert.NotEqual(a.Hash, b.ComputeHash());
    }

    [Fact]
    public async Task Hash_TellsAnEmptyReasonFromNone()
    {
        var entry = await _log.AppendAsync("a", "r", "x", "t", "o", reason: null);

        Assert.NotEqual(entry.Hash, (entry with { Reason = "" }).ComputeHash());
    }

    [Fact]
    public async Task Verify_OfAnEmptyChain_SucceedsWithTheGenesisHead()
    {
        var result = await _log.VerifyAsync();

        Assert.Equal(new AuditVerification(true, 0, AuditEntry.GenesisHash, null, null), result);
    }

    [Fact]
    public async Task Verify_OfAnUntouchedChain_SucceedsWithTheLastHashAsHead()
    {
        await AppendAsync(10);

        var result = await _log.VerifyAsync();

        Assert.Equal(new AuditVerification(true, 10, _store.Entries[^1].Hash, null, null), result);
    }

    [Theory]
    [MemberData(nameof(FieldsAndEntries))]
    public async Task Verify_AfterAnyFieldOfAnyEntryIsAltered_NamesThatEntry(string field, int sequence)
    {
        await AppendAsync(10);
        var index = sequence - 1;
        _store.Entries[index] = Alter(_store.Entries[index], field);

        var result = await _log.VerifyAsync();

        Assert.False(result.Verified);
        Assert.Equal(sequence, result.FirstBadSequence);
        Assert.StartsWith($"entry {sequence}", result.Problem, StringComparison.Ordinal);
        Assert.Equal(sequence - 1, result.EntriesChecked);
    }

    [Fact]
    public async Task Verify_AfterAContentChange_SaysTheHashDoesNotMatch()
    {
        await AppendAsync(20);
        _store.Entries[16] = _store.Entries[16] with { Outcome = "failed" };

        var result = await _log.VerifyAsync();

        Assert.Equal(new AuditVerification(false, 16, _store.Entries[15].Hash, 17, "entry 17: its hash does not match its content (altered?)"), result);
    }

    [Fact]
    public async Task Verify_AfterAnEntryIsAlteredAndRehashed_ReportsTheBrokenLinkAtTheNextEntry()
    {
        await AppendAsync(20);
        var altered = _store.Entries[15] with { Outcome = "failed" };
        _store.Entries[15] = altered with { Hash = altered.ComputeHash() };

        var result = await _log.VerifyAsync();

        Assert.Equal((17L, "entry 17: previous-hash link broken"), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public async Task Verify_AfterAnEntryIsDeleted_ReportsTheGap()
    {
        await AppendAsync(20);
        _store.Entries.RemoveAt(16);

        var result = await _log.VerifyAsync();

        Assert.Equal((false, 17L, "entry 17 missing: sequence jumps from 16 to 18"), (result.Verified, result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public async Task Verify_AfterTheFirstEntryIsDeleted_ReportsItMissing()
    {
        await AppendAsync(3);
        _store.Entries.RemoveAt(0);

        var result = await _log.VerifyAsync();

        Assert.Equal((1L, "entry 1 missing: the chain starts at 2"), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public async Task Verify_AfterTwoEntriesSwapPlaces_NamesTheFirstOfThem()
    {
        await AppendAsync(10);
        var (fourth, fifth) = (_store.Entries[3], _store.Entries[4]);
        _store.Entries[3] = fifth with { Sequence = 4 };
        _store.Entries[4] = fourth with { Sequence = 5 };

        var result = await _log.VerifyAsync();

        Assert.Equal((4L, "entry 4: its hash does not match its content (altered?)"), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public async Task Verify_AfterTwoEntriesSwapPlacesAndAreRehashed_ReportsTheBrokenLink()
    {
        await AppendAsync(10);
        var (fourth, fifth) = (_store.Entries[3], _store.Entries[4]);
        _store.Entries[3] = Rehash(fifth with { Sequence = 4 });
        _store.Entries[4] = Rehash(fourth with { Sequence = 5 });

        var result = await _log.VerifyAsync();

        Assert.Equal((4L, "entry 4: previous-hash link broken"), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public async Task Verify_OfAChainLongerThanOnePage_ChecksEveryEntry()
    {
        await AppendAsync(1_201);
        var clean = await _log.VerifyAsync();
        _store.Entries[1_150] = _store.Entries[1_150] with { Target = "elsewhere" };

        var tampered = await _log.VerifyAsync();

        Assert.Equal((true, 1_201L), (clean.Verified, clean.EntriesChecked));
        Assert.Equal(1_151L, tampered.FirstBadSequence);
    }

    [Fact]
    public async Task Append_FiftyInParallel_GivesAGaplessVerifyingChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _log.AppendAsync($"user{i}", "Operator", "sign-in", "console", "succeeded")));

        var result = await _log.VerifyAsync();

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), _store.Entries.Select(e => e.Sequence));
        Assert.Equal((true, 50L), (result.Verified, result.EntriesChecked));
    }

    [Fact]
    public async Task Store_RefusesAnEntryThatWouldLeaveAGap()
    {
        var first = await _log.AppendAsync("a", "r", "x", "t", "o");

        await Assert.ThrowsAsync<AuditSequenceException>(() => _store.AppendAsync(first with { Sequence = 3 }));
        await Assert.ThrowsAsync<AuditSequenceException>(() => _store.AppendAsync(first));
    }

    [Fact]
    public async Task Recent_ReturnsTheNewestMatchingEntriesNewestFirst()
    {
        await _log.AppendAsync("a", "Operator", "fault.inject", "outage eu-west-1", "succeeded");
        await AppendAsync(600);
        await _log.AppendAsync("a", "Operator", "fault.clear", "f-1", "succeeded");
        await _log.AppendAsync("a", "Operator", "clock.speed", "simulation", "succeeded");

        var faults = await _log.RecentAsync(5, "fault");
        var latest = await _log.RecentAsync(2);

        Assert.Equal(["fault.clear", "fault.inject"], faults.Select(e => e.Action));
        Assert.Equal([603L, 602L], latest.Select(e => e.Sequence));
    }

    private static AuditEntry Rehash(AuditEntry entry) => entry with { Hash = entry.ComputeHash() };

    private static AuditEntry Alter(AuditEntry entry, string field) => field switch
    {
        "Sequence" => entry with { Sequence = entry.Sequence + 100 },
        "At" => entry with { At = entry.At.AddTicks(1) },
        "Actor" => entry with { Actor = entry.Actor + "x" },
        "Role" => entry with { Role = "Admin" },
        "Action" => entry with { Action = "fault.clear" },
        "Target" => entry with { Target = "elsewhere" },
        "Outcome" => entry with { Outcome = "failed" },
        "Reason" => entry with { Reason = "10.0.0.99" },
        "ReasonToNull" => entry with { Reason = null },
        "PreviousHash" => entry with { PreviousHash = new string('f', 64) },
        "Hash" => entry with { Hash = new string('e', 64) },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await _log.AppendAsync($"user{i % 5}", "Operator", "sign-in", "console", "succeeded", $"10.0.0.{i % 250}");
        }
    }
}
