using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AWorld.Twin.Serve.Tests.Shared;

/// <summary>
/// The AWorld Console as its own process (<c>dotnet AWorld.Console.dll</c> from this project's output, as
/// <c>ConsoleStartupTests</c> starts it) on a free loopback port, with the given data directory and settings: waits
/// (bounded) for Kestrel's "Now listening on" line. <see cref="KillAsync"/> is <c>kill -9</c> of the whole process tree.
/// </summary>
public sealed partial class ConsoleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ConsoleProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>What the process printed so far (for failure messages and log assertions).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ConsoleProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "AWorld.Console.dll"), $"--Console:DataDirectory={dataDirectory}", "--urls=http://127.0.0.1:0" }.Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var console = new ConsoleProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            console.Append(e.Data);
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The console exited with code {process.ExitCode}.\n{console.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = await Task.WhenAny(listening.Task, Task.Delay(StartTimeout));
        if (ready != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The console did not listen within {StartTimeout.TotalSeconds} s.\n{console.Output}");
        }

        console.BaseAddress = await listening.Task;
        return console;
    }

    /// <summary>A client signed in with a bearer token for a demo account.</summary>
    public async Task<HttpClient> ClientForAsync(string user, string password)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {user}: {(int)response.StatusCode}\n{Output}");
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary><c>kill -9</c>: no graceful shutdown, nothing flushed that was not already on disk.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
