using System.Collections.Immutable;
using System.IO.Compression;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Aws.Tests.Shared;

/// <summary>A small after-action report with a hash-chained audit slice, and a way to change one byte of a written pack.</summary>
internal static class EvidenceReports
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static async Task<byte[]> WritePackAsync(IEvidenceSigner signer)
    {
        var (report, audit) = RegionOutage();
        using var output = new MemoryStream();
        await EvidencePack.WriteAsync(report, audit, null, signer, output);
        return output.ToArray();
    }

    public static (DrillReport Report, ImmutableArray<AuditEntry> Audit) RegionOutage()
    {
        const string id = "drill-20260302-001";
        var audit = ImmutableArray.CreateBuilder<AuditEntry>();
        AuditEntry? previous = null;
        foreach (var (action, minutes) in new[] { ("drill.start", 0), ("fault.inject", 10), ("operation.approve", 14), ("drill.end", 40) })
        {
            var entry = new AuditEntry((previous?.Sequence ?? 0) + 1, Start.AddMinutes(minutes), "dana", "Admin", action, $"{id} eu-west-1", "succeeded", null, previous?.Hash ?? AuditEntry.GenesisHash, "");
            previous = entry with { Hash = entry.ComputeHash() };
            audit.Add(previous);
        }

        var report = new DrillReport(
            id, "Scheduled DR drill", DrillScenario.RegionOutage, "Region outage of eu-west-1", "eu-west-1", "The estate on AWS",
            new DrillCriteria(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5)), new RecoveryObjectives(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
            "DR plan v1", ["eu-west-1", "eu-central-1"], ResponsePolicy.Human, [new DrillParticipant("dana", "Admin", "Ran the drill")],
            Start, Start.AddMinutes(40),
            [new DrillTimelineEvent(Start, DrillEventKinds.DrillStart, "Drill starts", "dana"), new DrillTimelineEvent(Start.AddMinutes(40), DrillEventKinds.DrillEnd, "Drill ends", "dana")],
            TimeSpan.FromSeconds(80),
            new MeasuredObjective(TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(30), true, "Synthetic clients at 99% for 60 s"),
            new MeasuredObjective(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), true, "Canary sequences"),
            true, "Passed", [], [], [], null, previous!.Hash, new DateOnly(2026, 3, 9), []);
        return (report, audit.ToImmutable());
    }

    /// <summary>The pack with one byte of <paramref name="entry"/> changed, every entry stamped and ordered as before.</summary>
    public static byte[] FlipByte(byte[] zip, string entry, int index)
    {
        var entries = new List<(string Name, DateTimeOffset At, byte[] Content)>();
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            foreach (var e in archive.Entries)
            {
                using var stream = e.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                entries.Add((e.FullName, e.LastWriteTime, buffer.ToArray()));
            }
        }

        var content = entries.Single(e => e.Name == entry).Content;
        content[index] ^= 0x01;
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, at, bytes) in entries)
            {
                var created = archive.CreateEntry(name);
                created.LastWriteTime = at;
                using var stream = created.Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }
}
