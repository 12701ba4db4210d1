namespace AWorld.Core.Anomalies;

/// <summary>Placeholder until the streaming detector lands: EWMA mean and spread, z-score alarm.</summary>
public sealed class AnomalyDetector
{
    private readonly AnomalyDetectorOptions _options;
    private double _mean;
    private double _var;

    public AnomalyDetector(AnomalyDetectorOptions? options = null) => _options = options ?? new AnomalyDetectorOptions();

    public long Count { get; private set; }

    public AnomalyPoint Observe(DateTimeOffset at, double value)
    {
        Count++;
        if (Count == 1)
        {
            _mean = value;
        }

        var sd = Math.Sqrt(_var) + 1e-9;
        var z = Math.Abs(value - _mean) / sd;
        var point = new AnomalyPoint(Count > _options.LearningPoints ? Math.Min(1, z / 10) : 0, _mean, _mean - (4 * sd), _mean + (4 * sd), Count > _options.LearningPoints && z > 6);
        var d = value - _mean;
        _mean += 0.05 * d;
        _var = (0.95 * _var) + (0.05 * d * d);
        return point;
    }
}

public sealed class AnomalyDetectorOptions
{
    public int LearningPoints { get; set; } = 750;
}
