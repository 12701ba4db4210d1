using AWorld.Console.Components.Pages;
using AWorld.Console.Tests.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AWorld.Console.Tests.Components;

public sealed class SimulationPageTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Fact]
    public async Task Operator_InjectsTheDefaultOutage_AndItIsRecordedWithTheirName()
    {
        _ctx.Auth.SetAuthorized("olivia").SetRoles("Operator");
        _ctx.Render<MudPopoverProvider>();
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(2));
        var page = _ctx.Render<Simulation>();

        // Find and click on the renderer's thread: live updates may re-render the page at any moment.
        await page.InvokeAsync(() => page.Find("[data-testid=inject-fault]").ClickAsync(new()));

        var fault = Assert.Single(_ctx.Twin.FaultHistory());
        Assert.Equal(("eu-west-1", "olivia"), (fault.Spec.Region, fault.InjectedBy));
        var activity = await _ctx.Services.GetRequiredService<AWorld.Core.Evidence.AuditLog>().RecentAsync(5);
        Assert.Equal(("olivia", "Operator", "fault.inject"), (activity[0].Actor, activity[0].Role, activity[0].Action));
    }

    [Fact]
    public async Task Viewer_WhoReachesThePageAnyway_CannotInject()
    {
        // The router keeps a Viewer off this page; the server-side check holds even if a component is reached.
        _ctx.Auth.SetAuthorized("nora").SetRoles("Viewer");
        _ctx.Render<MudPopoverProvider>();
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(2));
        var page = _ctx.Render<Simulation>();

        await page.InvokeAsync(() => page.Find("[data-testid=inject-fault]").ClickAsync(new()));

        Assert.Contains("Only an Operator or an Admin", page.Find("[data-testid=fault-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_ctx.Twin.FaultHistory());
    }
}
