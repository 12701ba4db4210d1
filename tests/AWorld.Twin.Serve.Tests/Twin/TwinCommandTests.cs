using System.Net;
using System.Net.Sockets;
using AWorld.Cli;

namespace AWorld.Twin.Serve.Tests.Twin;

/// <summary><c>aworld twin serve</c>'s arguments, its start-up lines and its clean stop on Ctrl+C (the token Program.cs cancels).</summary>
public sealed class TwinCommandTests
{
    [Fact]
    public async Task Help_NamesTheKeyPairAndTheServices_AndExitsZero()
    {
        var (code, stdout, _) = await RunAsync(["twin", "serve", "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("AWS_ACCESS_KEY_ID=AKIDAWORLDTWIN00000", stdout, StringComparison.Ordinal);
        Assert.Contains("AWS_SECRET_ACCESS_KEY=" + TwinCredentials.SecretAccessKey, stdout, StringComparison.Ordinal);
        Assert.Contains("monitoring", stdout, StringComparison.Ordinal);
        Assert.Contains("/_twin/faults", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_ListsTheTwinCommand()
    {
        var (code, stdout, _) = await RunAsync(["--help"]);

        Assert.Equal(0, code);
        Assert.Contains("aworld twin serve --port", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "twin", "serve" }, "--port is required")]
    [InlineData(new[] { "twin", "serve", "--port", "http" }, "--port 'http' is not a port")]
    [InlineData(new[] { "twin", "serve", "--port", "0", "--speed", "0" }, "--speed '0' is not a number from 0.1 to 10000")]
    [InlineData(new[] { "twin", "serve", "--port", "0", "--cadence", "hourly" }, "--cadence 'hourly' is not immediate or cloudwatch")]
    [InlineData(new[] { "twin", "serve", "--port", "0", "--history", "two weeks" }, "--history 'two weeks' is not a duration")]
    [InlineData(new[] { "twin", "serve", "--port", "0", "--history", "456.00:00:00" }, "Simulation:History is 456.00:00:00")]
    [InlineData(new[] { "twin", "serve", "--port", "0", "--colour" }, "unknown argument '--colour'")]
    [InlineData(new[] { "twin", "start" }, "unknown subcommand 'start'")]
    public async Task BadArguments_ExitTwo_NamingTheArgument(string[] args, string message)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("Example: aworld twin serve --port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_ExitsOne_SayingItCannotListen()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await RunAsync(["twin", "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, code);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CtrlC_StopsTheServerCleanly_AndExitsZero()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var output = TextWriter.Synchronized(stdout);
        using var ctrlC = new CancellationTokenSource();

        var run = CliApp.RunAsync(["twin", "serve", "--port", "0"], output, TextWriter.Synchronized(stderr), ctrlC.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Snapshot().Contains("Ctrl+C to stop.", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, $"The server did not start.\n{Snapshot()}\n{stderr}");
            await Task.Delay(20);
        }

        await ctrlC.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        Assert.Matches(@"serving the twin on http://127\.0\.0\.1:\d+ \(seed 1, speed 1x", Snapshot());
        Assert.Contains("AWS_ACCESS_KEY_ID=AKIDAWORLDTWIN00000", Snapshot(), StringComparison.Ordinal);
        Assert.EndsWith("aworld twin serve: stopped." + Environment.NewLine, Snapshot(), StringComparison.Ordinal);

        string Snapshot()
        {
            lock (output)
            {
                return stdout.ToString();
            }
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
