using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// moto's server (an AWS API emulator nobody here wrote) on a free loopback port, for the adapters' tests: started once
/// per test collection, reset between tests with <see cref="ResetAsync"/>, stopped with the fixture. moto accepts any
/// credentials and checks no signature; it is the wire format and the behaviour that the tests prove.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private Process? _process;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Environment of the moto process, set before it starts: e.g. <c>INITIAL_NO_AUTH_ACTION_COUNT</c> turns IAM checks on.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task InitializeAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("moto_server is not on PATH: the machine image's Python 3.11 has moto 5.2 (scripts/setup.sh checks it).", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");

        // Bounded: moto answers within a few seconds of starting; give it 60 s on a loaded machine.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}.");
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("moto_server did not answer within 60 s.");
    }

    /// <summary>Drops every resource moto holds, so that each test starts from an empty account.</summary>
    public async Task ResetAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Endpoint, "moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Options that point every service at moto, with its fixed test keys and writes on.</summary>
    public AwsOptions Options(bool allowWrites = true) => new()
    {
        AllowWrites = allowWrites,
        AccessKeyId = AccessKeyId,
        SecretAccessKey = SecretAccessKey,
        Endpoints = Enum.GetValues<AwsService>().ToDictionary(s => s, _ => Endpoint.ToString()),
        MaxRetries = 1,
        BaseBackoff = TimeSpan.FromMilliseconds(10),
    };

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
