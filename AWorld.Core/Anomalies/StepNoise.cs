namespace AWorld.Core.Anomalies;

/// <summary>
/// The typical step between two consecutive points while learning (mean absolute difference): the unit in which the
/// resonance allowance is measured, so a noisy series tolerates more wiggle than a smooth one.
/// </summary>
internal sealed class StepNoise
{
    private double _previous = double.NaN;
    private double _sum;
    private long _count;

    public double TypicalStep => _count > 0 ? _sum / _count : 0;

    public void Learn(double value)
    {
        if (!double.IsNaN(_previous))
        {
            _sum += Math.Abs(value - _previous);
            _count++;
        }

        _previous = value;
    }
}
