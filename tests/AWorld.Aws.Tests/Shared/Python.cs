using System.Diagnostics;
using System.Text.Json;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// Runs a Python 3 script (the image's Python 3.11, with botocore 1.43, boto3 and moto) with a JSON document on its
/// standard input and reads the JSON document it prints: how the tests ask botocore for a signature or a serialized
/// request, and how they create in moto what our clients have no call for.
/// </summary>
internal static class Python
{
    public static async Task<JsonElement> RunAsync(string script, object input)
    {
        var file = Path.Combine(Path.GetTempPath(), $"aworld-aws-test-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo("python3", [file])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input));
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();

            // Bounded: botocore and boto3 answer within seconds; a minute covers a loaded machine.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3 exited with {process.ExitCode}: {await error}");
            }

            return JsonDocument.Parse(await output).RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
