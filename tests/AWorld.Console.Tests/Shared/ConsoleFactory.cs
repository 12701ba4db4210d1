using System.Net.Http.Headers;
using System.Net.Http.Json;
using AWorld.Console.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Console.Tests.Shared;

/// <summary>
/// The whole console through its real HTTP pipeline, on a fake clock: the background driver is off and tests move
/// the estate with <see cref="AdvanceAsync"/>. Each factory has its own data directory.
/// </summary>
public sealed class ConsoleFactory : WebApplicationFactory<Program>
{
    public const string Password = "aworld-demo";

    private readonly string _data;
    private readonly bool _keepData;

    /// <param name="dataDirectory">The data directory; a new temporary one when null. Two factories on one directory play a restart.</param>
    /// <param name="keepData">Leave the directory when disposed (for the next factory of a restart).</param>
    /// <param name="start">Where the fake clock starts; the real present by default (bearer tokens are checked against it).</param>
    public ConsoleFactory(string? dataDirectory = null, bool? keepData = null, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        _data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "aworld-tests-" + Guid.NewGuid().ToString("N"));
        _keepData = keepData ?? dataDirectory is not null;
    }

    /// <summary>Starts at the real present so that bearer tokens (validated against the wall clock) stay valid.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Settings over the console's own; the twin on its Immediate cadence unless a test says otherwise.</summary>
    public Dictionary<string, string?> Settings { get; } = new() { ["Simulation:MetricCadence"] = "Immediate" };

    /// <summary>Advances the fake clock second by second, letting the driver advance the twin and poll each time.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        var driver = Services.GetRequiredService<EstateDriver>();
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await driver.TickAsync();
        }
    }

    public async Task<HttpClient> ClientForAsync(string user)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["access_token"].ToString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> TokenForAsync(string user)
    {
        using var client = await ClientForAsync(user);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Console:DataDirectory", _data);
        builder.UseSetting("Console:DriverEnabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_keepData)
        {
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp directory is the OS's to clean.
        }
    }
}
