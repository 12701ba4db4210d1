using AWorld.Console.Components.Shared;
using AWorld.Console.Tests.Shared;
using AWorld.Core.Engine;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace AWorld.Console.Tests.Components;

public sealed class RestoreDialogTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Fact]
    public async Task PointInTime_WithoutALatestRestorableTime_IsTheEstatesNow_NotTheMachines()
    {
        // A simulated estate running ahead of the machine's clock.
        var estateNow = new DateTimeOffset(2026, 2, 1, 18, 30, 15, TimeSpan.Zero);
        _ctx.Services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, new FakeTimeProvider(estateNow));
        _ctx.Auth.SetAuthorized("olivia").SetRoles("Operator");
        var provider = _ctx.Render<MudDialogProvider>();
        _ctx.Render<MudPopoverProvider>();

        var parameters = new DialogParameters<RestoreDialog> { { d => d.Region, "eu-west-1" }, { d => d.Table, "aworld-players" } };
        await provider.InvokeAsync(() => _ctx.Services.GetRequiredService<IDialogService>().ShowAsync<RestoreDialog>(null, parameters));

        Assert.Equal("2026-02-01 18:30:15", provider.Find("input").GetAttribute("value"));
    }
}
