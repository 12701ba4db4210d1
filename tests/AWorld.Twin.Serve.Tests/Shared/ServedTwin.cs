using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AWorld.Twin.Serve.Tests.Shared;

/// <summary>
/// <c>aworld twin serve</c> as its own process (<c>dotnet aworld.dll twin serve --port 0 --write-settings FILE</c>, from
/// this project's output), started once per test class: waits (bounded) for the endpoint line, reads the settings file
/// it wrote, and kills the process at the end. Subclasses choose the speed.
/// </summary>
public abstract partial class ServedTwin : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("aworld-twin-serve-").FullName;
    private Process? _process;

    /// <summary>Virtual seconds per real second the twin runs at.</summary>
    protected abstract double Speed { get; }

    /// <summary>How the served CloudWatch delivers: every second at once unless a fixture asks for CloudWatch's own time.</summary>
    protected virtual string Cadence => "immediate";

    /// <summary>More arguments for <c>twin serve</c> (e.g. <c>--config FILE</c>), given a folder the fixture removes at the end.</summary>
    protected virtual IEnumerable<string> MoreArguments(string directory) => [];

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public string SettingsFile => Path.Combine(_directory, "twin.appsettings.json");

    /// <summary>The settings file the command wrote, parsed.</summary>
    public JsonElement Settings { get; private set; }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return $"stdout:\n{_stdout}\nstderr:\n{_stderr}";
            }
        }
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public JsonElement AwsSettings => Settings.GetProperty("Estate").GetProperty("Aws");

    public async Task InitializeAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "aworld.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "twin", "serve", "--port", "0", "--speed", Speed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--write-settings", SettingsFile, "--cadence", Cadence }.Concat(MoreArguments(_directory)))
        {
            start.ArgumentList.Add(arg);
        }

        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }

            if (e.Data is not null && EndpointLine().Match(e.Data) is { Success: true } m)
            {
                endpoint.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stdout)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => endpoint.TrySetException(new InvalidOperationException($"aworld twin serve exited with code {_process.ExitCode}.\n{Output}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Bounded: the twin serves within a second or two; a machine shared with other builds gets 90 s.
        var ready = await Task.WhenAny(endpoint.Task, Task.Delay(StartTimeout));
        if (ready != endpoint.Task)
        {
            throw new TimeoutException($"aworld twin serve printed no endpoint within {StartTimeout.TotalSeconds} s.\n{Output}");
        }

        Endpoint = await endpoint.Task;

        // The settings are written right after the endpoint line, before "Ctrl+C to stop.".
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Output.Contains("Ctrl+C to stop.", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"aworld twin serve did not finish starting.\n{Output}");
            await Task.Delay(20);
        }

        Settings = JsonDocument.Parse(await File.ReadAllTextAsync(SettingsFile)).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public Task<TwinClockResponse> ClockAsync() => GetAsync<TwinClockResponse>("/_twin/clock");

    public async Task<T> GetAsync<T>(string path) =>
        (await Http.GetFromJsonAsync<T>(new Uri(Endpoint, path), JsonSerializerOptions.Web))!;

    /// <summary>
    /// Waits until the twin has simulated up to <paramref name="at"/>: the served twin runs on real time, so a test that
    /// needs its future waits for it (bounded; polling its clock, never sleeping a fixed time).
    /// </summary>
    public async Task WaitForTwinAsync(DateTimeOffset at)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await ClockAsync()).Now < at)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The served twin did not reach {at:O} within 60 s.\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, e.g. a replicated item or an INSYNC change.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Within 60 s: {what}. Last: {value}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"serving the twin on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex EndpointLine();
}

/// <summary>A twin at 20× real time: Route 53 changes go INSYNC within about a second, canaries replicate at once.</summary>
public sealed class FastTwin : ServedTwin
{
    protected override double Speed => 20;
}
