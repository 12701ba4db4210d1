namespace AWorld.Core.Anomalies;

/// <summary>
/// The expected value and band shown on a chart: an exponentially weighted level and mean absolute deviation,
/// with the deviation fed the error clipped to a few spreads so that one spike does not blow the band open.
/// </summary>
internal sealed class RobustBaseline
{
    /// <summary>Weight of the newest point: the baseline follows over roughly the last 20 points.</summary>
    private const double Alpha = 0.1;

    /// <summary>Mean absolute deviation times this estimates a standard deviation for Gaussian noise.</summary>
    private const double DeviationToSigma = 1.2533;

    private double _level;
    private double _spread;
    private bool _started;

    public double Last { get; private set; }

    /// <summary>The band before <paramref name="value"/> is learnt; the very first point is its own expectation.</summary>
    public (double Expected, double Lower, double Upper) Band(double width, double value)
    {
        if (!_started)
        {
            return (value, value, value);
        }

        var half = width * DeviationToSigma * _spread;
        return (_level, _level - half, _level + half);
    }

    public void Update(double value)
    {
        Last = value;
        if (!_started)
        {
            _level = value;
            _started = true;
            return;
        }

        var deviation = Math.Abs(value - _level);
        var clipped = _spread > 0 ? Math.Min(deviation, 5 * _spread) : deviation;
        _spread += Alpha * (clipped - _spread);
        _level += Alpha * (value - _level);
    }
}
