namespace AWorld.Core.Anomalies;

/// <summary>
/// Maps values onto [0, 1] by the range seen while learning. Afterwards the range is fixed and values beyond it
/// map outside [0, 1] (clipped at one range beyond either end), so what the detector learnt keeps its meaning.
/// </summary>
internal sealed class RangeNormaliser
{
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Width of the learnt range; a flat series gets a tiny positive width so that any change stands out.</summary>
    public double Span => _max >= _min ? Math.Max(_max - _min, Math.Max(Math.Abs(_max), 1.0) * 1e-9) : 1.0;

    public void Learn(double value)
    {
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    public double Normalise(double value) => _max >= _min ? Math.Clamp((value - _min) / Span, -1, 2) : 0;
}
