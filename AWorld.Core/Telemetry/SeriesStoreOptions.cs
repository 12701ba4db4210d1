using System.ComponentModel.DataAnnotations;

namespace AWorld.Core.Telemetry;

/// <summary>
/// The series store's fixed memory budget. Each series keeps <see cref="RawPoints"/> points at full resolution,
/// then <see cref="MinutePoints"/> one-minute and <see cref="QuarterHourPoints"/> fifteen-minute aggregates
/// (min, max, mean). Raw points are at each series' own resolution: the default 10,080 keep 7 days of AWS's one-minute
/// metrics (2.8 hours of a one-second canary); then 1 day of minutes and 35 days of quarter hours, about 334 KB a series.
/// </summary>
public sealed class SeriesStoreOptions
{
    [Range(60, 1_000_000)]
    public int RawPoints { get; set; } = 10_080;

    [Range(60, 1_000_000)]
    public int MinutePoints { get; set; } = 1440;

    [Range(96, 1_000_000)]
    public int QuarterHourPoints { get; set; } = 3360;

    /// <summary>Registering a series that would take the store past this budget fails.</summary>
    [Range(1, 64_000)]
    public int MemoryBudgetMegabytes { get; set; } = 200;
}
