using System.Net;
using System.Net.Sockets;

namespace AWorld.Cli.Tests.Watch;

public class WatchArgumentTests
{
    [Theory]
    [InlineData("--url", "--url is missing", "--user", "noc", "--password", "aworld-demo")]
    [InlineData("--user", "--user is missing", "--url", "http://localhost:5000", "--password", "aworld-demo")]
    [InlineData("--password", "--password is missing", "--url", "http://localhost:5000", "--user", "noc")]
    [InlineData("--url", "--url 'localhost:5000' is not an absolute http:// or https:// address", "--url", "localhost:5000", "--user", "noc", "--password", "x")]
    [InlineData("--url", "--url 'ftp://example.com' is not an absolute http:// or https:// address", "--url", "ftp://example.com", "--user", "noc", "--password", "x")]
    [InlineData("--url", "--url '/relative' is not an absolute http:// or https:// address", "--url", "/relative", "--user", "noc", "--password", "x")]
    [InlineData("--interval", "unknown argument '--interval'", "--interval", "5")]
    public async Task BadArgument_GetsOneLineNamingIt_WithAnExample_AndExitCodeTwo(string named, string expected, params string[] args)
    {
        var (code, stdout, stderr) = await Run(["watch", .. args]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("aworld watch: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("Example: aworld watch --url ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesTheOptions_AndExitsZero()
    {
        var (code, stdout, _) = await Run(["watch", "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("--once", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_ListsTheWatchCommand()
    {
        var (code, stdout, _) = await Run(["--help"]);

        Assert.Equal(0, code);
        Assert.Contains("aworld watch --url", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleNotListening_ExitsOne_SayingItCannotBeReached()
    {
        // A port that was free a moment ago: connecting is refused at once, no timeout to wait for.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}";

        var (code, stdout, stderr) = await Run(["watch", "--url", url, "--user", "noc", "--password", "aworld-demo", "--once"]);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aworld watch: cannot reach {url}: ", line, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApp.RunAsync(args, stdout, stderr, timeout.Token);
        Assert.False(timeout.IsCancellationRequested, "the command did not finish within 60 s");
        return (code, stdout.ToString(), stderr.ToString());
    }
}
