using System.Globalization;

namespace AWorld.Bench.Live;

/// <summary>"--name value" options with defaults and limits; a bad value stops the run with a message.</summary>
internal sealed class BenchArgs(string[] args)
{
    public bool Flag(string name) => args.Contains($"--{name}");

    public int Int(string name, int defaultValue, int min, int max)
    {
        var index = Array.IndexOf(args, $"--{name}");
        if (index < 0)
        {
            return defaultValue;
        }

        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} takes a whole number from {min} to {max}.");
        }

        return value;
    }
}

/// <summary>Nearest-rank percentiles of a set of delays in milliseconds.</summary>
internal sealed class Delays
{
    private readonly double[] _sorted;

    public Delays(IEnumerable<double> values)
    {
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Percentile(double p) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public string Summary() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture,
            $"n={Count:N0}  min {Min:0.0}  p50 {Percentile(50):0.0}  p95 {Percentile(95):0.0}  p99 {Percentile(99):0.0}  max {Max:0.0} ms");
}

/// <summary>Linux /proc readings: CPU use, open-file limit, and the memory and CPU of the processes this one started.</summary>
internal static class Machine
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return soft is null || soft == "unlimited" ? null : long.Parse(soft, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The 1-minute load average, to tell a busy machine from a slow bench.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static int OpenFileCount()
    {
        try
        {
            return Directory.GetFiles("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>A CPU reading to diff against a later one.</summary>
    public static CpuReading ReadCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var self = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return new CpuReading(DateTimeOffset.UtcNow, fields.Sum(), idle, self, Descendants().Sum(p => p.CpuSeconds));
    }

    public static string CpuSummary(CpuReading from, CpuReading to)
    {
        var seconds = (to.At - from.At).TotalSeconds;
        var total = to.Total - from.Total;
        var busy = total == 0 ? 0 : (double)(total - (to.Idle - from.Idle)) / total;
        var self = (to.SelfSeconds - from.SelfSeconds) / seconds;
        var children = Math.Max(0, to.ChildSeconds - from.ChildSeconds) / seconds;
        var others = Math.Max(0, (busy * Environment.ProcessorCount) - self - children);
        return string.Create(CultureInfo.InvariantCulture,
            $"machine CPU busy {100 * busy:0}% of {Environment.ProcessorCount} cores: this process {self:0.00} cores, its child processes {children:0.00}, other processes {others:0.00}");
    }

    /// <summary>Proportional set size (shared pages split between sharers) of every descendant process, in MB.</summary>
    public static double DescendantPssMb() => Descendants().Sum(p => p.PssKb) / 1024.0;

    public static int DescendantCount() => Descendants().Count;

    private static List<ChildProcess> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
            }
        }

        var mine = new HashSet<int> { Environment.ProcessId };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (mine.Contains(parent) && mine.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        mine.Remove(Environment.ProcessId);
        return [.. mine.Select(pid => new ChildProcess(Stat(pid)?.CpuSeconds ?? 0, Pss(pid)))];
    }

    private static (int Parent, double CpuSeconds)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state(0) ppid(1) ... utime(11) stime(12).
            return (int.Parse(rest[1], CultureInfo.InvariantCulture), (long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static long Pss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private sealed record ChildProcess(double CpuSeconds, long PssKb);
}

internal sealed record CpuReading(DateTimeOffset At, long Total, long Idle, double SelfSeconds, double ChildSeconds);

internal static class Memory
{
    /// <summary>Managed heap after full blocking collections (finalizers run in between), and the working set.</summary>
    public static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return (heap, self.WorkingSet64);
    }

    public static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
