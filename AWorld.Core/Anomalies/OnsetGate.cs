namespace AWorld.Core.Anomalies;

/// <summary>
/// Onset focus and alarm suppression. NAB credits the first detection of an incident and charges every later one
/// outside it, and operators want one alarm per incident: after an alarm, scores are held below half the threshold
/// for a refractory period; and every alarm adds to a fatigue that decays over a long horizon and divides later
/// scores, so a series that keeps producing novelties must produce stronger ones to alarm again.
/// </summary>
internal sealed class OnsetGate(int refractoryPoints, double threshold, double habituation, double habituationPoints)
{
    private readonly double _fatigueDecay = Math.Exp(-1.0 / habituationPoints);
    private double _fatigue;
    private int _quiet;

    public (double Score, bool Alarm) Observe(double score, bool learning)
    {
        if (learning)
        {
            return (0, false);
        }

        _fatigue *= _fatigueDecay;
        score /= 1 + (habituation * _fatigue);
        if (_quiet > 0)
        {
            _quiet--;
            return (Math.Min(score, threshold * 0.5), false);
        }

        if (score >= threshold)
        {
            _quiet = refractoryPoints;
            _fatigue += 1;
            return (score, true);
        }

        return (score, false);
    }
}
