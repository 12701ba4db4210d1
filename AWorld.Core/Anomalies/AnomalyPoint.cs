namespace AWorld.Core.Anomalies;

/// <summary>
/// What the detector says about one point: an anomaly score in [0, 1], the value it expected and the band
/// [<see cref="Lower"/>, <see cref="Upper"/>] it expected the value to fall in. <see cref="IsAnomalous"/> is true
/// when the score crossed the detector's alarm threshold at this point.
/// </summary>
public readonly record struct AnomalyPoint(double Score, double Expected, double Lower, double Upper, bool IsAnomalous);
