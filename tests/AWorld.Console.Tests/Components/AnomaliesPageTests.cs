using AnomaliesPage = AWorld.Console.Components.Pages.Anomalies;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AWorld.Console.Tests.Components;

public sealed class AnomaliesPageTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Fact]
    public async Task Viewer_SeesTheSpike_WithItsBand_AndAcknowledgesItWithANote()
    {
        var anomaly = Spike("eu-west-1", EstateMetric.Api5xx);
        _ctx.Auth.SetAuthorized("nora").SetRoles("Viewer");
        _ctx.Render<MudPopoverProvider>();
        var page = _ctx.Render<AnomaliesPage>();

        var item = page.Find($"[data-anomaly='{anomaly.Id}']");
        Assert.Contains("5xx errors · eu-west-1 · ApiGateway", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("saw 5000", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("above the band", item.TextContent, StringComparison.Ordinal);
        Assert.Contains($"/regions/eu-west-1?at={anomaly.Start.ToUnixTimeMilliseconds()}", page.Find("[data-testid=chart-link]").GetAttribute("href"), StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("input[data-testid=ack-note], [data-testid=ack-note] input").Input("deploy of 14:02, rolled back"));
        await page.InvokeAsync(() => page.Find("[data-testid=ack-button]").ClickAsync(new()));

        Assert.Contains("Acknowledged by nora (Viewer)", page.Find("[data-testid=acknowledged]").TextContent, StringComparison.Ordinal);
        var audit = await _ctx.Services.GetRequiredService<AWorld.Core.Evidence.AuditLog>().RecentAsync(1);
        Assert.Equal(("nora", "anomaly.acknowledge", anomaly.Id, "deploy of 14:02, rolled back"), (audit[0].Actor, audit[0].Action, audit[0].Target, audit[0].Reason));
    }

    [Fact]
    public void Auditor_ReadsTheTimeline_ButHasNoAcknowledgeButton()
    {
        Spike("eu-west-1", EstateMetric.Api5xx);
        _ctx.Auth.SetAuthorized("alex").SetRoles("Auditor");
        _ctx.Render<MudPopoverProvider>();
        var page = _ctx.Render<AnomaliesPage>();

        Assert.Single(page.FindAll("[data-testid=anomaly]"));
        Assert.Empty(page.FindAll("[data-testid=ack-button]"));
    }

    [Fact]
    public void RegionQuery_FiltersTheTimeline()
    {
        Spike("eu-west-1", EstateMetric.Api5xx);
        var central = Spike("eu-central-1", EstateMetric.LambdaErrors);
        _ctx.Auth.SetAuthorized("nora").SetRoles("Viewer");
        _ctx.Render<MudPopoverProvider>();

        var navigation = _ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/anomalies?region=eu-central-1");

        var page = _ctx.Render<AnomaliesPage>();

        var item = Assert.Single(page.FindAll("[data-testid=anomaly]"));
        Assert.Equal(central.Id, item.GetAttribute("data-anomaly"));
    }

    private AnomalyEvent Spike(string region, EstateMetric metric)
    {
        var series = MetricCatalog.SeriesFor(EstateTopology.Default).Single(s => s.Key == MetricCatalog.SeriesKey(region, metric));
        _ctx.Anomalies.Register(series);
        var start = ConsoleComponentContext.Start;
        for (var i = 0; i < 600; i++)
        {
            _ctx.Anomalies.Observe(series.Key, start.AddSeconds(i), 100 + (3 * Math.Sin(i / 20.0)));
        }

        _ctx.Anomalies.Observe(series.Key, start.AddSeconds(600), 5_000);
        return _ctx.Anomalies.All().Single(e => e.SeriesKey == series.Key);
    }
}
