namespace AWorld.Twin;

/// <summary>
/// The estate's demand: a daily curve from the trough to the peak hour, a quieter weekend, and slow
/// multiplicative noise (AR(1) per second, starting at 0).
/// </summary>
internal sealed class LoadModel(SimulationOptions options, SimRandom random)
{
    /// <summary>Per-second persistence of the noise.</summary>
    public const double NoisePersistence = 0.995;

    /// <summary>Per-second innovation of the noise.</summary>
    public const double NoiseInnovation = 0.006;

    private double _noise;

    public LoadState Snapshot() => new(_noise, random.Snapshot());

    public void Restore(LoadState state)
    {
        _noise = state.Noise;
        random.Restore(state.Random);
    }

    public double RequestsPerSecond(DateTimeOffset at)
    {
        _noise = (NoisePersistence * _noise) + (NoiseInnovation * random.NextGaussian());
        return Baseline(options, at) * Math.Exp(_noise);
    }

    /// <summary>The demand at <paramref name="at"/> without noise: the daily curve and the weekend, at the configured peak.</summary>
    public static double Baseline(SimulationOptions options, DateTimeOffset at)
    {
        var hours = at.UtcDateTime.TimeOfDay.TotalHours;
        var fromPeak = ((hours - options.PeakHourUtc) / 24.0) * 2 * Math.PI;
        var daily = Math.Pow(0.5 + (0.5 * Math.Cos(fromPeak)), 1.4);
        var shape = options.TroughShare + ((1 - options.TroughShare) * daily);
        var weekend = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.82 : 1.0;
        return options.PeakRequestsPerSecond * shape * weekend;
    }
}
