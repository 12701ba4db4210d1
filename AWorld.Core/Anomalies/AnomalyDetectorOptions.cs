namespace AWorld.Core.Anomalies;

/// <summary>
/// Settings of an <see cref="AnomalyDetector"/>. The same values serve every series: the detector learns each
/// series' range, step size and shapes itself during <see cref="LearningPoints"/>, so nothing here is per metric.
/// Defaults are the ones measured on the NAB development set; <see cref="Validate"/> names every bad value.
/// </summary>
public sealed class AnomalyDetectorOptions
{
    /// <summary>
    /// Points the detector only learns from before it may score or alarm (default 750). NAB gives a detector the
    /// first 15% of a file, at most 750 rows. The refractory period after an alarm and the memory of recent alarms
    /// are measured in multiples of this, so a series observed at a different rate keeps the same behaviour.
    /// </summary>
    public int LearningPoints { get; set; } = 750;

    /// <summary>Score at or above which a point alarms (<see cref="AnomalyPoint.IsAnomalous"/>, default 0.5).</summary>
    public double AlarmThreshold { get; set; } = 0.5;

    /// <summary>Half-width of the chart band around the expected value, in robust spreads (default 4).</summary>
    public double BandWidth { get; set; } = 4.0;

    /// <summary>
    /// How much a learnt shape may stretch, per feature, in units of the series' typical step between two points
    /// (default 2). Smaller makes more, tighter categories and more alarms.
    /// </summary>
    public double Vigilance { get; set; } = 2.0;

    /// <summary>Most shape categories one detector keeps (default 512); bounds its memory (about 80 bytes each).</summary>
    public int MaxCategories { get; set; } = 512;

    /// <summary>Every problem with these options, each naming the option and its allowed range; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (LearningPoints is < 1 or > 100_000)
        {
            errors.Add($"LearningPoints is {LearningPoints}; it must be between 1 and 100000.");
        }

        if (!(AlarmThreshold is > 0 and <= 1))
        {
            errors.Add($"AlarmThreshold is {AlarmThreshold}; it must be in (0, 1].");
        }

        if (!(BandWidth is > 0 and <= 100))
        {
            errors.Add($"BandWidth is {BandWidth}; it must be in (0, 100].");
        }

        if (!(Vigilance is > 0 and <= 1000))
        {
            errors.Add($"Vigilance is {Vigilance}; it must be in (0, 1000].");
        }

        if (MaxCategories is < 1 or > 65_536)
        {
            errors.Add($"MaxCategories is {MaxCategories}; it must be between 1 and 65536.");
        }

        return errors;
    }
}
