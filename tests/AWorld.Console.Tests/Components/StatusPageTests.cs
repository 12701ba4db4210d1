using AWorld.Console.Components.Pages;
using AWorld.Console.Tests.Shared;
using Bunit;

namespace AWorld.Console.Tests.Components;

public sealed class StatusPageTests : IAsyncLifetime
{
    private readonly ConsoleComponentContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAllAsync();

    [Fact]
    public async Task ShowsWhatReadingTheMetricsCosts_AndEachSourcesLastRead()
    {
        await _ctx.AdvanceAsync(TimeSpan.FromSeconds(90));

        var page = _ctx.Render<Status>();

        var polling = _ctx.Stream.Current!.Polling!;
        Assert.True(polling.RequestsPerMinute > 0 && polling.MetricsPerMinute > 0);
        Assert.Equal(polling.RequestsPerMinute.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=polling-requests] .mud-typography-h5").TextContent);
        Assert.Contains($"${polling.MonthlyUsd:N2} a month", page.Find("[data-testid=polling-monthly]").TextContent, StringComparison.Ordinal);
        var rows = page.FindAll("[data-testid=sources-table] tbody tr");
        Assert.Equal(polling.Sources.Length, rows.Count);
        Assert.All(rows, r => Assert.Contains("ok", r.TextContent, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("us-east-1", StringComparison.Ordinal));
    }
}
