using System.IO.Compression;
using System.Text.Json;

namespace AWorld.Cli.Tests.Drill;

public sealed class DrillCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aworld-drill-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task RegionOutage_RunsHeadless_PrintsTheObjectives_AndWritesAPackThatVerifies()
    {
        var (code, stdout, stderr) = await Run("drill", "run", "--scenario", "region-outage", "--region", "eu-west-1", "--seed", "3",
            "--out", Path.Combine(_dir, "packs"), "--key-dir", Path.Combine(_dir, "key"), "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.InRange(root.GetProperty("detectionSeconds").GetDouble(), 1, 180);
        Assert.InRange(root.GetProperty("rtoSeconds").GetDouble(), root.GetProperty("detectionSeconds").GetDouble(), 900);
        Assert.InRange(root.GetProperty("rpoSeconds").GetDouble(), 0, 5);
        Assert.Contains("≤", root.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var pack = root.GetProperty("pack").GetString()!;
        Assert.True(File.Exists(pack));
        using (var zip = ZipFile.OpenRead(pack))
        {
            Assert.Equal(
                ["audit.jsonl", "manifest.json", "manifest.sig", "metrics.csv", "public-key.pem", "report.json", "report.pdf", "timeline.csv"],
                zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        var publicKey = Path.Combine(_dir, "public.pem");
        using (var zip = ZipFile.OpenRead(pack))
        {
            zip.GetEntry("public-key.pem")!.ExtractToFile(publicKey);
        }

        var (verified, output, _) = await Run("evidence", "verify", pack, "--public-key", publicKey);
        Assert.True(verified == 0, output);
        Assert.Equal(root.GetProperty("manifestSha256").GetString() + "\n", await File.ReadAllTextAsync(Path.Combine(_dir, "packs", "evidence-chain-head.txt")));
    }

    [Fact]
    public async Task Run_IsDatedByTheClockItIsGiven_ToTheSecond()
    {
        var time = new FixedTime(new DateTimeOffset(2031, 6, 15, 12, 34, 56, 789, TimeSpan.Zero));

        var (code, stdout, stderr) = await Run(time, "drill", "run", "--scenario", "checker-flapping", "--region", "eu-west-1", "--seed", "3",
            "--out", Path.Combine(_dir, "packs"), "--key-dir", Path.Combine(_dir, "key"), "--json");

        Assert.True(code is 0 or 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.StartsWith("drill-20310615-123456-checker-flapping-", json.RootElement.GetProperty("drillId").GetString(), StringComparison.Ordinal);
        Assert.Contains("of estate time in 0.0 s", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drill run --region eu-west-1", "--scenario is required")]
    [InlineData("drill run --scenario moon-landing --region eu-west-1", "use one of region-outage, network-partition")]
    [InlineData("drill run --scenario region-outage --region us-west-2", "target region 'us-west-2' is not in the estate")]
    [InlineData("drill run --scenario region-outage --region eu-west-1 --policy manual", "--policy 'manual' is unknown")]
    [InlineData("drill start", "unknown subcommand 'start'")]
    public async Task BadArguments_ExitTwo_WithAMessageAndAnExample(string args, string message)
    {
        var (code, _, stderr) = await Run(args.Split(' '));

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("aworld drill run --scenario region-outage", stderr, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) => Run(TimeProvider.System, args);

    private static async Task<(int Code, string Stdout, string Stderr)> Run(TimeProvider time, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, time, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A clock that stands still (its timestamps too, so the run takes no time by it).</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => 0;
    }
}
