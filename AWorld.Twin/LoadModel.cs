namespace AWorld.Twin;

/// <summary>
/// The estate's demand: a daily curve from the trough to the peak hour, a quieter weekend, and slow
/// multiplicative noise.
/// </summary>
internal sealed class LoadModel(SimulationOptions options, SimRandom random)
{
    private double _noise;

    public LoadState Snapshot() => new(_noise, random.Snapshot());

    public void Restore(LoadState state)
    {
        _noise = state.Noise;
        random.Restore(state.Random);
    }

    public double RequestsPerSecond(DateTimeOffset at)
    {
        _noise = (0.995 * _noise) + (0.006 * random.NextGaussian());
        var hours = at.UtcDateTime.TimeOfDay.TotalHours;
        var fromPeak = ((hours - options.PeakHourUtc) / 24.0) * 2 * Math.PI;
        var daily = Math.Pow(0.5 + (0.5 * Math.Cos(fromPeak)), 1.4);
        var shape = options.TroughShare + ((1 - options.TroughShare) * daily);
        var weekend = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.82 : 1.0;
        return options.PeakRequestsPerSecond * shape * weekend * Math.Exp(_noise);
    }
}
