using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AWorld.Twin.Serve.Tests.Shared;

/// <summary>What one run of the AWS CLI did.</summary>
public sealed record CliResult(string Cli, string[] Arguments, int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"{Cli} {string.Join(' ', Arguments)} -> exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// The AWS CLI driving a served twin: the image's v1 (<c>aws</c> on PATH, botocore 1.43: CloudWatch over JSON 1.0) and
/// Debian's v2 (<c>/usr/bin/aws</c>, 2.9: CloudWatch over the query protocol). Each run gets the documented key pair (or a
/// wrong secret), a region, one attempt, no pager and no configuration files of the machine.
/// </summary>
public static class AwsCli
{
    public const string V1 = "v1";
    public const string V2 = "v2";

    private const string V2Path = "/usr/bin/aws";

    /// <summary>Both CLIs, for theories.</summary>
    public static TheoryData<string> Both => new() { V1, V2 };

    public static Task<CliResult> RunAsync(string cli, ServedTwin twin, string region, params string[] args) =>
        RunAsync(cli, twin.Endpoint, region, TwinCredentials.AccessKeyId, TwinCredentials.SecretAccessKey, args);

    /// <summary>Runs the CLI signing with <paramref name="accessKeyId"/> and <paramref name="secret"/> (to be refused, when they are not the twin's).</summary>
    public static async Task<CliResult> RunAsync(string cli, Uri endpoint, string region, string accessKeyId, string secret, params string[] args)
    {
        if (cli == V2 && !File.Exists(V2Path))
        {
            Assert.Fail($"Debian's AWS CLI v2 is missing at {V2Path}: install it with 'apt-get install -y awscli' (scripts/setup.sh does).");
        }

        string[] all = ["--endpoint-url", endpoint.GetLeftPart(UriPartial.Authority), "--region", region, "--output", "json", .. args];
        var start = new ProcessStartInfo(cli == V1 ? "aws" : V2Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in all)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        start.Environment["AWS_DEFAULT_REGION"] = region;
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aworld-aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aworld-aws-credentials";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("The AWS CLI did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("The AWS CLI v1 ('aws') is not on PATH: the machine image's Python 3.11 has it (pip install awscli).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{cli} {string.Join(' ', all)} did not finish within 120 s.");
            }

            return new CliResult(cli, all, process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs and expects AWS's error <paramref name="code"/>, as the CLI prints it: "An error occurred (CODE) when calling …".</summary>
    public static async Task<CliResult> FailsAsync(string code, string cli, ServedTwin twin, string region, params string[] args)
    {
        var result = await RunAsync(cli, twin, region, args);
        Assert.True(result.ExitCode != 0 && result.Stderr.Contains($"An error occurred ({code})", StringComparison.Ordinal), $"Expected {code}. {result}");
        return result;
    }

    /// <summary>Runs and expects success, failing the test with the CLI's output otherwise.</summary>
    public static async Task<JsonElement> JsonAsync(string cli, ServedTwin twin, string region, params string[] args)
    {
        var result = await RunAsync(cli, twin, region, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Length == 0 ? default : result.Json;
    }

    /// <summary>A timestamp as a CLI prints it: v1 prints JSON protocols' epoch seconds as they came, v2 ISO 8601.</summary>
    public static DateTimeOffset Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000))
            : DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
