extern alias console;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ConsoleProgram = console::Program;

namespace AWorld.Cli.Tests.Watch;

/// <summary>
/// A real AWorld Console on Kestrel at a free port, with its background driver running and its data in a fresh
/// temporary directory that is deleted afterwards. Demo accounts are seeded (simulation mode).
/// </summary>
public sealed class ConsoleServerFixture : IDisposable
{
    public const string DemoPassword = "aworld-demo";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"aworld-watch-{Guid.NewGuid():N}");
    private readonly ConsoleFactory _factory;

    public ConsoleServerFixture()
    {
        _factory = new ConsoleFactory(_dataDirectory);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The console's address without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; }

    public void Dispose()
    {
        _factory.Dispose();

        // SQLite pools connections; release the file before deleting the directory (needed on Windows).
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private sealed class ConsoleFactory(string dataDirectory) : WebApplicationFactory<ConsoleProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Console:DataDirectory", dataDirectory);
            builder.UseSetting("Console:DriverEnabled", "true");
        }
    }
}
