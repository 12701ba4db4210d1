namespace AWorld.Cli.Tests.Watch;

/// <summary><c>aworld watch</c> against a real console: sign-in, the hub, and the snapshot as the server sends it.</summary>
public class WatchEndToEndTests(ConsoleServerFixture console) : IClassFixture<ConsoleServerFixture>
{
    [Fact]
    public async Task Once_PrintsTheFirstSnapshot_WithEveryRegionAndItsHealth_AndExitsZero()
    {
        var (code, stdout, stderr) = await Run("watch", "--url", console.BaseUrl, "--user", "noc", "--password", ConsoleServerFixture.DemoPassword, "--once");

        Assert.True(code == 0, $"exit {code}; stderr: {stderr}");
        Assert.Contains("AWorld estate  ", stdout, StringComparison.Ordinal);
        Assert.Contains("eu-west-1", stdout, StringComparison.Ordinal);
        Assert.Contains("eu-central-1", stdout, StringComparison.Ordinal);
        Assert.Contains("eu-north-1", stdout, StringComparison.Ordinal);
        Assert.Contains("Healthy", stdout, StringComparison.Ordinal);
        Assert.Contains("Replication (RPO ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Fact]
    public async Task Once_WithATrailingSlashOnTheUrl_StillFindsTheApiAndTheHub()
    {
        var (code, stdout, stderr) = await Run("watch", "--url", console.BaseUrl + "/", "--user", "auditor", "--password", ConsoleServerFixture.DemoPassword, "--once");

        Assert.True(code == 0, $"exit {code}; stderr: {stderr}");
        Assert.Contains("eu-north-1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ExitsOne_NamingTheUser()
    {
        var (code, stdout, stderr) = await Run("watch", "--url", console.BaseUrl, "--user", "operator", "--password", "not-the-password", "--once");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("aworld watch: wrong user name or password for 'operator'.", stderr.Trim());
    }

    [Fact]
    public async Task Cancelled_WhileWatching_StopsCleanly_WithExitZero()
    {
        using var stdout = new SnapshotCountingWriter(stopAfter: 2);
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        stdout.Stop = cancel.Cancel;

        var code = await CliApp.RunAsync(["watch", "--url", console.BaseUrl, "--user", "manager", "--password", ConsoleServerFixture.DemoPassword], stdout, stderr, cancel.Token);

        Assert.False(timeout.IsCancellationRequested, $"two snapshots did not arrive within 60 s; stderr: {stderr}");
        Assert.Equal(0, code);
        Assert.Empty(stderr.ToString());
        var blocks = stdout.ToString().Split("\n\nAWorld estate", StringSplitOptions.None);
        Assert.Equal(2, blocks.Length);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApp.RunAsync(args, stdout, stderr, timeout.Token);
        Assert.False(timeout.IsCancellationRequested, $"the command did not finish within 60 s; stderr: {stderr}");
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Plays the person pressing Ctrl+C: cancels once the given number of snapshots has been written.</summary>
    private sealed class SnapshotCountingWriter(int stopAfter) : StringWriter
    {
        private int _snapshots;

        public Action? Stop { get; set; }

        public override Task WriteAsync(string? value)
        {
            base.Write(value);
            if (value?.Contains("AWorld estate", StringComparison.Ordinal) == true && ++_snapshots == stopAfter)
            {
                Stop?.Invoke();
            }

            return Task.CompletedTask;
        }
    }
}
