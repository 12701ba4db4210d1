using AWorld.Core.Engine;
using AWorld.Console.ViewModels;
using AWorld.Core;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace AWorld.Console.Components.Charts;

/// <summary>
/// An ApexCharts chart fed from the series store: created with the last <see cref="WindowSeconds"/> of data, then
/// appended to once a second in one batch; when its data goes quiet the chart says how old it is. The anomaly
/// detector's expected band of the line at <see cref="BandIndex"/> is drawn as a range area and every line's
/// anomalous points are marked. With <see cref="At"/> set the chart is frozen on the window centred on that moment.
/// </summary>
public sealed partial class LiveChart : ComponentBase, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private ElementReference _element;
    private IJSObjectReference? _module;
    private string? _chartId;
    private ChartFeed? _feed;
    private ITimer? _timer;
    private string _staleText = "";
    private bool _disposed;

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required SeriesStore Store { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject(Key = EstateClock.Key)]
    public required TimeProvider EstateTime { get; init; }

    [Inject]
    public required IOptions<TelemetryOptions> Telemetry { get; init; }

    [Parameter, EditorRequired]
    public required string Title { get; set; }

    [Parameter, EditorRequired]
    public required string Unit { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<ChartSeries> Series { get; set; }

    [Parameter]
    public int WindowSeconds { get; set; } = 900;

    [Parameter]
    public double? YMin { get; set; } = 0;

    /// <summary>The line whose expected band is drawn (default the first); null for no band.</summary>
    [Parameter]
    public int? BandIndex { get; set; } = 0;

    /// <summary>A past moment to show instead of the live window; the chart then does not follow new data.</summary>
    [Parameter]
    public DateTimeOffset? At { get; set; }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _timer?.Dispose();
        if (_module is null)
        {
            return;
        }

        try
        {
            if (_chartId is not null)
            {
                await _module.InvokeVoidAsync("disposeChart", _chartId);
            }

            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the chart.
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _feed = new ChartFeed(Store, Series, BandIndex);
        var now = EstateTime.GetUtcNow();
        var (from, to) = At is { } at
            ? (at.AddSeconds(-WindowSeconds / 2.0), at.AddSeconds(WindowSeconds / 2.0))
            : (now.AddSeconds(-WindowSeconds), now);
        var initial = _feed.Take(from, to);
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/aworld-charts.js");
        var config = new
        {
            title = Title,
            unit = Unit,
            windowSeconds = WindowSeconds,
            yMin = YMin,
            series = Series.Select((s, i) => new { name = s.Name, points = initial.Series[i], markers = initial.Markers[i] }).ToArray(),
            band = initial.Band is { } band ? new { name = $"expected {Series[BandIndex!.Value].Name}", points = band } : null,
        };
        _chartId = await _module.InvokeAsync<string>("createChart", _element, config);
        if (!_disposed && At is null)
        {
            _timer = Time.CreateTimer(_ => _ = InvokeAsync(TickAsync), null, Tick, Tick);
        }
    }

    private async Task TickAsync()
    {
        if (_disposed || _module is null || _chartId is null || _feed is null)
        {
            return;
        }

        try
        {
            var now = EstateTime.GetUtcNow();
            var batch = _feed.Take(now.AddSeconds(-WindowSeconds), now);
            if (!batch.IsEmpty)
            {
                await _module.InvokeVoidAsync("appendPoints", _chartId, new { series = batch.Series, band = batch.Band, markers = batch.Markers });
            }

            var age = _feed.NewestAge(now);
            var stale = age is null || age > Telemetry.Value.StaleAfter;
            var text = Formats.Age(age, stale);
            if (text != _staleText)
            {
                _staleText = text;
                await _module.InvokeVoidAsync("setStale", _chartId, text);
            }
        }
        catch (JSDisconnectedException)
        {
            _timer?.Dispose();
        }
    }
}
