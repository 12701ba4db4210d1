using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// Runs a Python script with the image's Python 3.11 (boto3, botocore, moto: tools nobody here wrote) and a JSON
/// argument on standard input; returns what it prints as JSON. Bounded: a script that runs a minute is killed.
/// </summary>
public static class PythonJson
{
    public static async Task<JsonNode?> RunAsync(string script, JsonNode argument)
    {
        var start = new ProcessStartInfo("python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // botocore must not find credentials or a config of the machine's own.
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        await process.StandardInput.WriteAsync(argument.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 did not finish within a minute: {await stderr}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 failed ({process.ExitCode}): {await stderr}");
        }

        return JsonNode.Parse(await stdout);
    }
}
