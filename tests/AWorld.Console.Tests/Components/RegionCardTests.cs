using AWorld.Console.Components.Shared;
using AWorld.Console.Tests.Shared;
using AWorld.Console.ViewModels;
using AWorld.Core.Telemetry;
using Bunit;

namespace AWorld.Console.Tests.Components;

public sealed class RegionCardTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Theory]
    [InlineData(HealthStatus.Healthy, "Healthy")]
    [InlineData(HealthStatus.Degraded, "Degraded")]
    [InlineData(HealthStatus.Unhealthy, "Unhealthy")]
    [InlineData(HealthStatus.Unknown, "Unknown")]
    public void Health_IsShownAsAWordAndAnIcon_NotByColourAlone(HealthStatus status, string word)
    {
        var card = _ctx.Render<RegionCard>(p => p.Add(c => c.Model, Card(status, "")));

        var health = card.Find("[data-testid=region-health]");
        Assert.Contains(word, health.TextContent, StringComparison.Ordinal);
        Assert.NotNull(health.QuerySelector("svg"));
    }

    [Fact]
    public void StaleCard_SaysHowOldItsDataIs()
    {
        var card = _ctx.Render<RegionCard>(p => p.Add(c => c.Model, Card(HealthStatus.Degraded, "data 45 s old")));

        Assert.Equal("data 45 s old", card.Find("[data-testid=region-stale]").TextContent);
    }

    private static RegionCardModel Card(HealthStatus status, string staleness) =>
        new("eu-west-1", "Ireland", "Active", status, ["reason one"], "50.0%", "—", "—", "—", "450 ms", "500 ms", "100%", staleness);
}
