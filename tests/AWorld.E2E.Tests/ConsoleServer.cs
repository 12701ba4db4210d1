using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AWorld.E2E.Tests;

/// <summary>
/// The real console on Kestrel at a free loopback port, with its own data directory, running the twin fast (10×)
/// with 10-second health checks so that an outage shows within seconds.
/// </summary>
public sealed class ConsoleServer : WebApplicationFactory<Program>
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "aworld-e2e-" + Guid.NewGuid().ToString("N"));

    public ConsoleServer()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Console:DataDirectory", _data);
        builder.UseSetting("Simulation:Speed", "10");
        builder.UseSetting("Estate:HealthChecks:RequestIntervalSeconds", "10");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the shutting-down host; the temp directory is cleaned by the OS.
        }
    }
}
