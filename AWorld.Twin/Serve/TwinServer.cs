using System.Net;
using System.Text.Json.Nodes;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AWorld.Twin.Serve;

/// <summary>
/// A twin served over AWS's protocols on one loopback HTTP endpoint (Kestrel): built from <see cref="TwinServeServiceCollectionExtensions.AddTwinServe"/>,
/// advancing on its estate clock from the moment it starts. <see cref="StartAsync"/> throws
/// <see cref="OptionsValidationException"/> (or <see cref="InvalidOperationException"/> for the estate) when the configuration is invalid.
/// </summary>
public sealed class TwinServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TwinServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Where the twin answers, e.g. <c>http://127.0.0.1:4566</c>.</summary>
    public Uri Endpoint { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Stopped when the host stops by itself (e.g. SIGTERM).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port); logs go to stderr, every request when <paramref name="verbose"/>.</summary>
    public static async Task<TwinServer> StartAsync(IConfiguration configuration, int port, bool verbose, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddTwinServe(builder.Configuration);

        var app = builder.Build();
        var handler = app.Services.GetRequiredService<TwinRequestHandler>();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without an address.");
        return new TwinServer(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>The settings a console needs to point at this server (<see cref="TwinSettings"/>).</summary>
    public JsonObject Settings() =>
        TwinSettings.Build(Services.GetRequiredService<EstateTopology>(), Services.GetRequiredService<TwinIdentifiers>(), Endpoint,
            Services.GetRequiredService<LambdaService>().BaselineConcurrency);

    public async Task StopAsync(CancellationToken cancellationToken) => await _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
