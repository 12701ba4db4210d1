using AWorld.Console.Components.Pages;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Estate;
using Bunit;

namespace AWorld.Console.Tests.Components;

public sealed class OverviewTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Fact]
    public void BeforeTheFirstSnapshot_SaysItIsWaiting()
    {
        var page = _ctx.Render<Overview>();

        Assert.Contains("Waiting for the first estate snapshot", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowsACardPerRegion_WithHealthInWords()
    {
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(30));

        var page = _ctx.Render<Overview>();

        var cards = page.FindAll("[data-testid=region-card]");
        Assert.Equal(["eu-west-1", "eu-central-1", "eu-north-1"], cards.Select(c => c.GetAttribute("data-region")));
        Assert.All(page.FindAll("[data-testid=region-health]"), h => Assert.Contains("Healthy", h.TextContent, StringComparison.Ordinal));
        Assert.Contains("No alerts.", page.Find("[data-testid=alerts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewSnapshots_UpdateThePage_AndAQuietRegionSaysHowOldItsDataIs()
    {
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(30));
        var page = _ctx.Render<Overview>();
        var westRate = page.Find("[data-region=eu-west-1] [data-testid=request-rate]").TextContent;
        Assert.NotEqual("—", westRate);

        _ctx.Twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        await _ctx.AdvanceAsync(TimeSpan.FromMinutes(2));

        // Each snapshot rendered within the Advance that published it: the page shows the newest one now.
        var west = page.Find("[data-region=eu-west-1]");
        Assert.Contains("Unhealthy", west.QuerySelector("[data-testid=region-health]")!.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"^data 1 min \d+ s old$|^data 2 min \d+ s old$", west.QuerySelector("[data-testid=region-stale]")!.TextContent);
        Assert.Equal("—", west.QuerySelector("[data-testid=request-rate]")!.TextContent);
        Assert.Contains("eu-west-1 unhealthy", page.Find("[data-testid=alerts]").TextContent, StringComparison.Ordinal);
        Assert.Contains("outage eu-west-1", page.Find("[data-testid=faults]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_ThePage_EndsItsSubscription()
    {
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(2));
        var page = _ctx.Render<Overview>();
        Assert.Equal(1, _ctx.Stream.SubscriberCount);

        page.Instance.Dispose();

        Assert.Equal(0, _ctx.Stream.SubscriberCount);
    }
}
