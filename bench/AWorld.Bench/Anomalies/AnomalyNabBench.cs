using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Live;
using AWorld.Core.Anomalies;

namespace AWorld.Bench.Anomalies;

/// <summary>
/// <c>anomaly-nab</c>: the streaming anomaly detector over the whole NAB development set, single-threaded. Every
/// file is loaded into memory first; then each repetition scores every point with a fresh detector per file (the
/// learning period NAB gives: 15% of the file, at most 750 points). Reports best and median time, points/s,
/// ns/point, bytes allocated per point, and the bytes one detector retains after a long series.
/// Target: the whole set (about 298,000 points) in under 2 s of one core.
/// </summary>
internal static class AnomalyNabBench
{
    public static int Run(string[] args)
    {
        var nab = Locate(args);
        if (nab is null)
        {
            Console.Error.WriteLine("anomaly-nab: the NAB development set was not found; pass --data DIR (the folder holding <category>/<name>.csv) or set AWORLD_NAB_DIR.");
            return 2;
        }

        var repetitions = new BenchArgs(args).Int("repetitions", 7, 1, 100);
        var series = Load(nab);
        var points = series.Sum(s => (long)s.Values.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anomaly-nab: {series.Count} files, {points:N0} points from {nab}"));

        var checksum = ScoreAll(series); // warm-up: JIT and tiered compilation
        var times = new List<double>();
        var cpuTimes = new List<double>();
        using var process = Process.GetCurrentProcess();
        long allocated = 0;
        for (var r = 0; r < repetitions; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var sum = ScoreAll(series);
            watch.Stop();
            process.Refresh();
            cpuTimes.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (sum != checksum)
            {
                Console.Error.WriteLine("anomaly-nab: scores differ between repetitions; the detector is not deterministic.");
                return 1;
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        cpuTimes.Sort();
        var best = times[0];
        var median = times[times.Count / 2];
        var bestCpu = cpuTimes[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  best {best:N0} ms, median {median:N0} ms over {repetitions} runs; {points / (best / 1000):N0} points/s; {best * 1e6 / points:N0} ns/point"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU time of the process: best {bestCpu:N0} ms, median {cpuTimes[cpuTimes.Count / 2]:N0} ms (wall time above includes waiting for a shared core)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated {(double)allocated / points:N1} bytes/point ({allocated:N0} bytes per run, detectors included)"));

        var longest = series.MaxBy(s => s.Values.Length)!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  retained {Retained(longest):N0} bytes per detector after {longest.Values.Length:N0} points ({longest.Name})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target (< 2 s of one core for the whole set): wall {(best < 2000 ? "met" : "missed")}, CPU {(bestCpu < 2000 ? "met" : "missed")}"));
        return 0;
    }

    private static double ScoreAll(List<Series> series)
    {
        double sum = 0;
        foreach (var s in series)
        {
            var detector = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = Learning(s.Values.Length) });
            for (var i = 0; i < s.Values.Length; i++)
            {
                sum += detector.Observe(s.Times[i], s.Values[i]).Score;
            }
        }

        return sum;
    }

    /// <summary>Bytes held by one detector after it has seen a whole long series (its categories full).</summary>
    private static long Retained(Series s)
    {
        const int Detectors = 50;
        var detectors = new AnomalyDetector[Detectors];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var d = 0; d < Detectors; d++)
        {
            detectors[d] = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = Learning(s.Values.Length) });
            for (var i = 0; i < s.Values.Length; i++)
            {
                detectors[d].Observe(s.Times[i], s.Values[i]);
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(detectors);
        return (after - before) / Detectors;
    }

    private static int Learning(int rows) => Math.Max(1, Math.Min(rows * 15 / 100, 750));

    private static string? Locate(string[] args)
    {
        var data = Array.IndexOf(args, "--data") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var candidates = new List<string?> { data, Environment.GetEnvironmentVariable("AWORLD_NAB_DIR") is { Length: > 0 } env ? Path.Combine(env, "data") : null };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "nab", "data"));
        }

        candidates.Add("/work/shared/nab/data");
        return candidates.FirstOrDefault(Directory.Exists);
    }

    private static List<Series> Load(string data)
    {
        var list = new List<Series>();
        foreach (var file in Directory.GetDirectories(data).SelectMany(d => Directory.GetFiles(d, "*.csv")).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(',');
            var t = Array.IndexOf(header, "timestamp");
            var v = Array.IndexOf(header, "value");
            var times = new DateTimeOffset[lines.Length - 1];
            var values = new double[lines.Length - 1];
            for (var i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(',');
                times[i - 1] = DateTimeOffset.Parse(fields[t], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                values[i - 1] = double.Parse(fields[v], CultureInfo.InvariantCulture);
            }

            list.Add(new Series(Path.GetRelativePath(data, file), times, values));
        }

        return list;
    }

    private sealed record Series(string Name, DateTimeOffset[] Times, double[] Values);
}
