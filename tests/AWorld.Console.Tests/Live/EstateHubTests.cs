using System.Text.Json.Serialization;
using AWorld.Console.Live;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Live;

/// <summary>The hub through the real SignalR client.</summary>
public sealed class EstateHubTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly ConsoleFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task WithoutAToken_TheConnectionIsRefused()
    {
        await using var connection = Connect(token: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task AuthenticatedClient_GetsTheSnapshotOnConnect_AndEachNewOneAfterTheHubInterval()
    {
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(5));
        await using var connection = Connect(await _factory.TokenForAsync("noc"));
        var received = new List<EstateSnapshot>();
        var first = new TaskCompletionSource<EstateSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var later = new TaskCompletionSource<EstateSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<EstateSnapshot>(EstateHub.SnapshotMethod, s =>
        {
            lock (received)
            {
                received.Add(s);
                if (received.Count == 1)
                {
                    first.TrySetResult(s);
                }
                else if (s.Sequence > received[0].Sequence)
                {
                    // A broadcast of the snapshot the client got on connect may still be on its way: wait for a newer one.
                    later.TrySetResult(s);
                }
            }
        });

        await connection.StartAsync();
        var onConnect = await first.Task.WaitAsync(Limit);
        Assert.Equal(3, onConnect.Regions.Length);
        Assert.Equal("eu-west-1", onConnect.Regions[0].Code);
        Assert.Equal(HealthStatus.Healthy, onConnect.Regions[0].Health);

        await _factory.AdvanceAsync(TimeSpan.FromSeconds(2));
        var pushed = await later.Task.WaitAsync(Limit);

        Assert.True(pushed.Sequence > onConnect.Sequence);
        Assert.Equal(_factory.Services.GetRequiredService<EstateStateStream>().Current!.Sequence, pushed.Sequence, 1.0);
    }

    [Fact]
    public async Task GetSnapshot_ReturnsTheCurrentSnapshot()
    {
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(3));
        await using var connection = Connect(await _factory.TokenForAsync("auditor"));
        await connection.StartAsync();

        var snapshot = await connection.InvokeAsync<EstateSnapshot>(nameof(EstateHub.GetSnapshot));

        Assert.Equal(_factory.Services.GetRequiredService<EstateStateStream>().Current!.Sequence, snapshot.Sequence);
    }

    private HubConnection Connect(string? token)
    {
        var server = _factory.Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, EstateHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
    }
}
