using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Live;
using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;

namespace AWorld.Bench.Evidence;

/// <summary>
/// A year of weekly drills as evidence: 52 realistic reports (3 series × 3,600 points, ~20 timeline events, 500
/// audit entries each, one audit chain across the year), exported as 52 chained, signed packs to files, then every
/// pack verified from its file and the chain of packs checked. Building the reports is the drill runner's work
/// and is not timed. Targets: export &lt; 5 s, verification &lt; 2 s, in total.
/// </summary>
internal static class EvidenceYear
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var drills = args.Int("drills", 52, 1, 520);
        var auditPerDrill = args.Int("audit", 500, 1, 100_000);
        var directory = Directory.CreateTempSubdirectory("aworld-evidence-year-");
        try
        {
            using var signer = new LocalEvidenceSigner(directory.FullName);
            var reports = new List<(AWorld.Core.Drills.DrillReport Report, System.Collections.Immutable.ImmutableArray<AuditEntry> Audit)>(drills);
            AuditEntry? previous = null;
            for (var i = 0; i < drills; i++)
            {
                var drill = DrillReports.RegionOutage(i + 1, DrillReports.Start.AddDays(7 * i), auditPerDrill, previous);
                reports.Add(drill);
                previous = drill.Audit[^1];
            }

            // Warm-up outside the timing (JIT, font loading, key creation), on a separate file.
            await WriteAsync(Path.Combine(directory.FullName, "warm-up.zip"), reports[0].Report, reports[0].Audit, null, signer);
            EvidencePackVerifier.Verify(File.OpenRead(Path.Combine(directory.FullName, "warm-up.zip")));
            File.Delete(Path.Combine(directory.FullName, "warm-up.zip"));

            var paths = new List<string>(drills);
            var exportTimes = new List<double>(drills);
            string? manifest = null;
            var exportCpu = Cpu();
            var export = Stopwatch.StartNew();
            foreach (var (report, audit) in reports)
            {
                var path = Path.Combine(directory.FullName, $"{report.DrillId}.zip");
                var one = Stopwatch.StartNew();
                manifest = await WriteAsync(path, report, audit, manifest, signer);
                exportTimes.Add(one.Elapsed.TotalMilliseconds);
                paths.Add(path);
            }

            export.Stop();
            exportCpu = Cpu() - exportCpu;

            var verifyTimes = new List<double>(drills);
            var results = new List<EvidencePackVerification>(drills);
            var verifyCpu = Cpu();
            var verify = Stopwatch.StartNew();
            foreach (var path in paths)
            {
                var one = Stopwatch.StartNew();
                using (var file = File.OpenRead(path))
                {
                    results.Add(EvidencePackVerifier.Verify(file, signer.PublicKeyPem));
                }

                verifyTimes.Add(one.Elapsed.TotalMilliseconds);
            }

            var chain = EvidencePackVerifier.ChainProblem(results);
            verify.Stop();
            verifyCpu = Cpu() - verifyCpu;

            var failed = results.FirstOrDefault(r => !r.Verified);
            if (failed is not null || chain is not null)
            {
                Console.Error.WriteLine($"evidence-year: verification failed: {failed?.Failure ?? chain}");
                return 1;
            }

            var sizes = paths.Select(p => new FileInfo(p).Length).ToList();
            var pdfBytes = results[0].Checks.First(c => c.Subject == EvidencePack.ReportPdf).Detail;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evidence-year: {drills} weekly drills, {reports[0].Report.Metrics.Sum(m => m.Points.Length):N0} metric points and {auditPerDrill} audit entries each"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  export: {export.Elapsed.TotalMilliseconds:N0} ms total (target < 5,000; process CPU time {exportCpu.TotalMilliseconds:N0} ms), per pack {new Delays(exportTimes).Summary()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  verify: {verify.Elapsed.TotalMilliseconds:N0} ms total incl. chain of {drills} packs (target < 2,000; process CPU time {verifyCpu.TotalMilliseconds:N0} ms), per pack {new Delays(verifyTimes).Summary()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  machine load average {Machine.LoadAverage()} (2 cores shared with other work inflates both totals)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pack size: mean {sizes.Average() / 1024:N0} KiB, max {sizes.Max() / 1024:N0} KiB, year {sizes.Sum() / 1048576.0:N1} MiB; report.pdf {pdfBytes}"));
            return export.Elapsed.TotalSeconds < 5 && verify.Elapsed.TotalSeconds < 2 ? 0 : 3;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // CPU time of this process (all threads): what the work costs regardless of how long other processes kept the core.
    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task<string> WriteAsync(string path, AWorld.Core.Drills.DrillReport report, System.Collections.Immutable.ImmutableArray<AuditEntry> audit, string? previous, IEvidenceSigner signer)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return await EvidencePack.WriteAsync(report, audit, previous, signer, file);
    }
}
