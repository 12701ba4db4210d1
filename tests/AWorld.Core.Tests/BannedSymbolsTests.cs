using System.Diagnostics;

namespace AWorld.Core.Tests;

/// <summary>
/// The clock rule holds in the build, not only in review: a throwaway project that takes the repository's
/// Directory.Build.props and Directory.Packages.props the way every product project does (it lives outside tests/
/// and bench/) fails to build on a wall-clock read with RS0030, and builds once the clock is injected.
/// </summary>
public sealed class BannedSymbolsTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _project = Directory.CreateTempSubdirectory("aworld-banned-");

    public void Dispose() => _project.Delete(recursive: true);

    [Fact]
    public async Task ProductCode_ReadingDateTimeUtcNow_FailsToBuildWithRS0030_AndBuildsWithTheClockInjected()
    {
        var repository = RepositoryRoot();
        await File.WriteAllTextAsync(Path.Combine(_project.FullName, "Directory.Build.props"),
            $"""<Project><Import Project="{Path.Combine(repository, "Directory.Build.props")}" /></Project>""");
        await File.WriteAllTextAsync(Path.Combine(_project.FullName, "Directory.Packages.props"),
            $"""<Project><Import Project="{Path.Combine(repository, "Directory.Packages.props")}" /></Project>""");
        await File.WriteAllTextAsync(Path.Combine(_project.FullName, "Probe.csproj"), """<Project Sdk="Microsoft.NET.Sdk" />""");
        var source = Path.Combine(_project.FullName, "Clock.cs");

        await File.WriteAllTextAsync(source, "namespace Probe;\n\ninternal static class Clock\n{\n    internal static DateTime Now() => DateTime.UtcNow;\n}\n");
        var (banned, bannedOutput) = await BuildAsync(restore: true);

        await File.WriteAllTextAsync(source, "namespace Probe;\n\ninternal static class Clock\n{\n    internal static DateTime Now(TimeProvider time) => time.GetUtcNow().UtcDateTime;\n}\n");
        var (clean, cleanOutput) = await BuildAsync(restore: false);

        Assert.True(banned != 0, bannedOutput);
        Assert.Contains("error RS0030", bannedOutput, StringComparison.Ordinal);
        Assert.Contains("DateTime.UtcNow", bannedOutput, StringComparison.Ordinal);
        Assert.Contains("Use an injected TimeProvider", bannedOutput, StringComparison.Ordinal);
        Assert.True(clean == 0, cleanOutput);
    }

    /// <summary>The folder that holds BannedSymbols.txt, above the test's binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BannedSymbols.txt")) && File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no BannedSymbols.txt above {AppContext.BaseDirectory}");
    }

    /// <summary>One build of the probe alone (one node, no node left running), bounded by <see cref="BuildTimeout"/>.</summary>
    private async Task<(int ExitCode, string Output)> BuildAsync(bool restore)
    {
        // The dotnet that runs the tests, so that the probe builds with the same SDK.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = _project.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["build", "Probe.csproj", "--no-dependencies", "-nologo", "-maxCpuCount:1", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary"])
        {
            start.ArgumentList.Add(argument);
        }

        if (!restore)
        {
            start.ArgumentList.Add("--no-restore");
        }

        // The test host's MSBuild settings belong to the test run, not to the probe's build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dotnet}");
        using var timeout = new CancellationTokenSource(BuildTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build of the probe took longer than {BuildTimeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
