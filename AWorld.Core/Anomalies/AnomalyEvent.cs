using AWorld.Core.Telemetry;

namespace AWorld.Core.Anomalies;

/// <summary>
/// One anomaly on one series: when it started, its peak (score, value, and the band the detector expected at that
/// moment) and when it ended (null while it lasts). <see cref="Id"/> is stable for the event's whole life.
/// </summary>
public sealed record AnomalyEvent(
    string Id,
    string SeriesKey,
    string Region,
    ServiceKind Service,
    EstateMetric Metric,
    string Label,
    string Unit,
    DateTimeOffset Start,
    DateTimeOffset? End,
    DateTimeOffset PeakAt,
    double PeakScore,
    double PeakValue,
    double Expected,
    double Lower,
    double Upper)
{
    public bool IsOpen => End is null;

    /// <summary>True when the peak was above the band (a rise), false when below (a drop).</summary>
    public bool IsRise => PeakValue > Expected;
}
