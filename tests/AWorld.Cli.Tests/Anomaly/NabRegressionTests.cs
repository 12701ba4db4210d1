using System.Diagnostics;
using System.Text.Json;

namespace AWorld.Cli.Tests.Anomaly;

/// <summary>
/// Runs <c>aworld anomaly nab</c> over the NAB development set and scores it with NAB's scorer, so that no change
/// silently worsens detection. The baseline lives beside this file in <c>nab-baseline.json</c>.
/// </summary>
public sealed class NabRegressionTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("aworld-nab-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Nab_DevelopmentSet_ScoresNoWorseThanTheBaselineMinusOnePoint()
    {
        var nab = LocateNab();
        var baseline = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Anomaly", "nab-baseline.json")));
        var expected = baseline.RootElement.GetProperty("standard").GetDouble();

        var (code, _, stderr) = await AnomalyCommandTests.Run("anomaly", "nab", "--data", Path.Combine(nab, "data"), "--out", _out);
        Assert.True(code == 0, stderr);

        var scores = Score(nab);
        var standard = scores.GetProperty("standard").GetProperty("score").GetDouble();
        var lowFp = scores.GetProperty("reward_low_FP_rate").GetProperty("score").GetDouble();
        var lowFn = scores.GetProperty("reward_low_FN_rate").GetProperty("score").GetDouble();
        Assert.True(standard >= expected - 1,
            $"NAB standard score {standard} fell below the baseline {expected} - 1 (low FP {lowFp}, low FN {lowFn}); see Anomaly/nab-baseline.json");
    }

    private JsonElement Score(string nab)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(nab, "nab_score.py"), "--data", Path.Combine(nab, "data"), "--labels", Path.Combine(nab, "windows.json"),
                     "--results", _out, "--json",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("nab_score.py did not finish within 5 minutes");
        }

        Assert.True(process.ExitCode == 0, $"nab_score.py failed ({process.ExitCode}): {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }

    /// <summary>AWORLD_NAB_DIR, else a <c>shared/nab</c> beside the repository above the test assembly, else /work/shared/nab.</summary>
    private static string LocateNab()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("AWORLD_NAB_DIR") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "nab"));
        }

        candidates.Add("/work/shared/nab");
        var found = candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "nab_score.py")) && Directory.Exists(Path.Combine(c, "data")));
        Assert.True(found is not null,
            "The NAB development set was not found (looked in: " + string.Join(", ", candidates.Distinct()) + "). " +
            "Set AWORLD_NAB_DIR to the folder holding nab_score.py, windows.json and data/.");
        return found!;
    }
}
