using System.Text.Json;

namespace AWorld.Cli.Tests.Simulate;

public class SimulateCommandTests
{
    private const string Outage = "outage eu-west-1 at 00:30:00 for 00:20:00";

    [Fact]
    public async Task Json_HoldsTheSummaryAnOperatorNeeds()
    {
        var (code, stdout, _) = await Run("simulate", "--duration", "02:00:00", "--seed", "42", "--fault", Outage, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(42, root.GetProperty("seed").GetInt64());
        Assert.Equal(30, root.GetProperty("healthCheck").GetProperty("intervalSeconds").GetInt32());
        Assert.Equal(3, root.GetProperty("healthCheck").GetProperty("failureThreshold").GetInt32());
        Assert.Equal(60, root.GetProperty("dnsTtlSeconds").GetInt32());

        var west = root.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "eu-west-1");
        var transitions = west.GetProperty("healthTransitions").EnumerateArray()
            .Select(t => (At: t.GetProperty("atSeconds").GetDouble(), Status: t.GetProperty("status").GetString())).ToList();
        var unhealthyAt = transitions.First(t => t.Status == "Unhealthy").At;
        Assert.InRange(unhealthyAt, 1800 + 60, 1800 + 120);
        Assert.Equal("Healthy", transitions[^1].Status);
        Assert.True(transitions[^1].At > 3000);

        var shares = west.GetProperty("trafficShareTimeline").EnumerateArray()
            .Select(s => (At: s.GetProperty("atSeconds").GetDouble(), Share: s.GetProperty("share").GetDouble())).ToList();
        Assert.Contains(shares, s => s.At > 1800 && s.At < 3000 && s.Share == 0);

        var pairs = root.GetProperty("replication").EnumerateArray().ToList();
        Assert.Equal(6, pairs.Count);
        var intoWest = pairs.Single(p => p.GetProperty("from").GetString() == "eu-central-1" && p.GetProperty("to").GetString() == "eu-west-1");
        Assert.True(intoWest.GetProperty("maxLagMs").GetDouble() > 1_000_000, "lag into a region that is down for 20 minutes grows");
        Assert.True(intoWest.GetProperty("p50LagMs").GetDouble() < 1000);

        var writes = root.GetProperty("writes");
        var acknowledged = writes.GetProperty("acknowledged").GetInt64();
        Assert.True(writes.GetProperty("lost").GetInt64() > 0);
        Assert.Equal(acknowledged, writes.GetProperty("replicated").GetInt64() + writes.GetProperty("lost").GetInt64() + writes.GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task SameSeed_GivesByteIdenticalOutput_AndAnotherSeedDoesNot()
    {
        string[] args = ["simulate", "--duration", "00:20:00", "--seed", "42", "--fault", "outage eu-west-1 at 00:05:00 for 00:05:00", "--fault", "partition eu-west-1-eu-central-1 at 00:12:00", "--json"];

        var first = await Run(args);
        var second = await Run(args);
        args[4] = "43";
        var other = await Run(args);

        Assert.Equal(first.Stdout, second.Stdout);
        Assert.NotEqual(first.Stdout, other.Stdout);
    }

    [Fact]
    public async Task TextOutput_SummarisesRegionsReplicationAndWrites()
    {
        var (code, stdout, stderr) = await Run("simulate", "--duration", "00:10:00", "--fault", "errors eu-central-1 40% at 00:02:00 for 00:03:00");

        Assert.Equal(0, code);
        Assert.Contains("eu-central-1 (Active)", stdout, StringComparison.Ordinal);
        Assert.Contains("Unhealthy", stdout, StringComparison.Ordinal);
        Assert.Contains("Writes:", stdout, StringComparison.Ordinal);
        Assert.Contains("x real time", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--duration", "2h", "--duration '2h' is not a positive duration")]
    [InlineData("--seed", "forty-two", "--seed 'forty-two' is not a whole number")]
    [InlineData("--fault", "outage mars-1", "region 'mars-1' is not in the estate")]
    [InlineData("--fault", "outage eu-west-1 at 03:00:00", "starts at 03:00:00, after the run ends (--duration 01:00:00)")]
    [InlineData("--speed", "3", "unknown argument '--speed'")]
    public async Task BadArgument_GetsOneLineNamingIt_WithAnExample_AndExitCodeTwo(string option, string value, string expected)
    {
        var (code, stdout, stderr) = await Run("simulate", option, value);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("Example: aworld simulate --duration 02:00:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfigurationFile_IsRejectedNamingTheKey()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aworld-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Estate": { "HealthChecks": { "RequestIntervalSeconds": 20 } } }""");
        try
        {
            var (code, _, stderr) = await Run("simulate", "--config", file);

            Assert.Equal(2, code);
            Assert.Contains("Estate:HealthChecks:RequestIntervalSeconds is 20", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ConfigurationFile_ChangesTheEstate()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aworld-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Estate": { "HealthChecks": { "RequestIntervalSeconds": 10, "FailureThreshold": 2 }, "Dns": { "TtlSeconds": 30 } } }""");
        try
        {
            var (code, stdout, _) = await Run("simulate", "--config", file, "--duration", "00:01:00", "--json");

            Assert.Equal(0, code);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal(10, json.RootElement.GetProperty("healthCheck").GetProperty("intervalSeconds").GetInt32());
            Assert.Equal(30, json.RootElement.GetProperty("dnsTtlSeconds").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var (code, _, stderr) = await Run("simulat");

        Assert.Equal(2, code);
        Assert.Contains("unknown command 'simulat'", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
