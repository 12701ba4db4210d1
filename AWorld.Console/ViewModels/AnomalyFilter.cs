using AWorld.Core.Anomalies;
using AWorld.Core.Telemetry;

namespace AWorld.Console.ViewModels;

/// <summary>The Anomalies page's filter: by region, by service, and open events only.</summary>
public sealed record AnomalyFilter(string? Region, ServiceKind? Service, bool OpenOnly)
{
    public IReadOnlyList<AnomalyEvent> Apply(IEnumerable<AnomalyEvent> events) =>
        [.. events.Where(e => (string.IsNullOrEmpty(Region) || e.Region == Region) && (Service is null || e.Service == Service) && (!OpenOnly || e.IsOpen))];

    /// <summary>
    /// The link to the region's charts at the moment of the event: the window centred on its start, frozen, so the
    /// band and the marked points are those of that moment.
    /// </summary>
    public static string ChartLink(AnomalyEvent e) =>
        $"/regions/{Uri.EscapeDataString(e.Region)}?at={e.Start.ToUnixTimeMilliseconds()}&series={Uri.EscapeDataString(e.SeriesKey)}";
}
