namespace AWorld.Cli.Tests.Anomaly;

public sealed class AnomalyCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aworld-anomaly-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Nab_SmallCorpus_WritesOneScoredRowPerInputRowInOrder()
    {
        var rows = Enumerable.Range(0, 400).Select(i => $"2014-04-01 {i / 60 % 24:00}:{i % 60:00}:00,{10 + (i % 7)}").ToList();
        Write("cat/a.csv", ["timestamp,value", .. rows]);
        Write("cat/b.csv", ["value,timestamp", "1.5,2014-04-01 00:00:00", "2.5,2014-04-01 00:05:00"]);

        var (code, stdout, stderr) = await Run("anomaly", "nab", "--data", Data, "--out", Out);

        Assert.True(code == 0, stderr);
        Assert.Contains("scored 2 of 2 files", stdout, StringComparison.Ordinal);
        var a = File.ReadAllLines(Path.Combine(Out, "cat", "a.csv"));
        Assert.Equal("timestamp,value,anomaly_score", a[0]);
        Assert.Equal(401, a.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.StartsWith(rows[i] + ",", a[i + 1], StringComparison.Ordinal);
            var score = double.Parse(a[i + 1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 1);
        }

        Assert.Equal(["timestamp,value,anomaly_score", "2014-04-01 00:00:00,1.5,0", "2014-04-01 00:05:00,2.5,0"], File.ReadAllLines(Path.Combine(Out, "cat", "b.csv")));
    }

    [Theory]
    [InlineData("time,value\n2014-04-01 00:00:00,1\n", "line 1: no 'timestamp' column")]
    [InlineData("timestamp,amount\n2014-04-01 00:00:00,1\n", "line 1: no 'value' column")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n", "line 3: value 'abc' is not a number")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,\n", "line 3: value '' is not a number")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n01/04/2014,2\n", "line 3: timestamp '01/04/2014' is not a time")]
    [InlineData("timestamp,value\n2014-04-01 05:00:00,1\n2014-04-01 03:00:00,2\n", "line 3: timestamp '2014-04-01 03:00:00' is earlier than")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00\n", "line 3: has 1 field(s)")]
    [InlineData("", "line 1: the file is empty")]
    [InlineData("timestamp,value\n", "line 2: the file has a header but no data rows")]
    public async Task Nab_MalformedFile_FailsNamingFileLineAndProblem(string content, string problem)
    {
        Write("good/ok.csv", ["timestamp,value", "2014-04-01 00:00:00,1", "2014-04-01 00:05:00,2"]);
        Directory.CreateDirectory(Path.Combine(Data, "bad"));
        File.WriteAllText(Path.Combine(Data, "bad", "x.csv"), content);

        var (code, _, stderr) = await Run("anomaly", "nab", "--data", Data, "--out", Out);

        Assert.Equal(1, code);
        Assert.Contains("bad/x.csv " + problem, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "bad", "x.csv")), "no output claims success for the bad file");
        Assert.Empty(Directory.GetFiles(Out, "*.partial", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(Out, "good", "ok.csv")));
    }

    [Fact]
    public async Task Nab_RepeatedClockHour_IsScoredWithAWarning()
    {
        Write("c/dst.csv", ["timestamp,value", "2014-11-02 01:50:00,1", "2014-11-02 01:55:00,2", "2014-11-02 01:00:00,3", "2014-11-02 01:05:00,4"]);

        var (code, _, stderr) = await Run("anomaly", "nab", "--data", Data, "--out", Out);

        Assert.Equal(0, code);
        Assert.Contains("c/dst.csv line 4: timestamp '2014-11-02 01:00:00' steps back", stderr, StringComparison.Ordinal);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(Out, "c", "dst.csv")).Length);
    }

    [Fact]
    public async Task Nab_OutputNotWritable_FailsNamingTheFile()
    {
        Write("c/a.csv", ["timestamp,value", "2014-04-01 00:00:00,1"]);
        File.WriteAllText(Path.Combine(_root, "blocker"), "a file where the output folder should be");

        var (code, _, stderr) = await Run("anomaly", "nab", "--data", Data, "--out", Path.Combine(_root, "blocker"));

        Assert.Equal(1, code);
        Assert.Contains("a.csv: cannot be written", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "anomaly" }, "a subcommand is needed")]
    [InlineData(new[] { "anomaly", "nba" }, "unknown subcommand 'nba'")]
    [InlineData(new[] { "anomaly", "nab", "--out", "x" }, "--data is required")]
    [InlineData(new[] { "anomaly", "nab", "--data", "/nonexistent-aworld", "--out", "x" }, "is not a directory")]
    [InlineData(new[] { "anomaly", "nab", "--data", ".", "--out", "x", "--probation-percent", "150" }, "--probation-percent '150' is not a number between 0 and 100")]
    [InlineData(new[] { "anomaly", "nab", "--bogus" }, "unknown argument '--bogus'")]
    public async Task Nab_BadArguments_ExitWith2AndSayWhy(string[] args, string message)
    {
        var (code, _, stderr) = await Run(args);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("Example: aworld anomaly nab", stderr, StringComparison.Ordinal);
    }

    private string Data => Path.Combine(_root, "data");

    private string Out => Path.Combine(_root, "out");

    private void Write(string relative, IEnumerable<string> lines)
    {
        var path = Path.Combine(Data, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
