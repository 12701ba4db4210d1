using System.Diagnostics;

namespace AWorld.Twin.Serve.Tests.EndToEnd;

public sealed class ConsoleStartupTests
{
    [Fact]
    public async Task BadAwsSettings_StopStartUp_NamingEveryKey_WithoutAStackTrace()
    {
        var data = Directory.CreateTempSubdirectory("aworld-bad-settings-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "AWorld.Console.dll"), "--Estate:Provider=Aws", $"--Console:DataDirectory={data}", "--urls=http://127.0.0.1:0", "--Estate:Aws:Route53RequestsPerSecond=50" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var errors = await stderr;
        Directory.Delete(data, recursive: true);

        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}\n{errors}\n{await stdout}");
        Assert.Contains("AWorld Console cannot start: the configuration is invalid.", errors, StringComparison.Ordinal);
        Assert.Contains("Estate:Dns:HostedZoneId is empty", errors, StringComparison.Ordinal);
        Assert.Contains("Estate:Regions:0:HealthCheckId is empty for eu-west-1", errors, StringComparison.Ordinal);
        Assert.Contains("Estate:Aws:Route53RequestsPerSecond is 50", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }
}
