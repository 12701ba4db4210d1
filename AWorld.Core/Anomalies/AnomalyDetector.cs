namespace AWorld.Core.Anomalies;

/// <summary>
/// Streaming anomaly detector for one series. <see cref="Observe"/> takes the points in time order and returns,
/// for each, an anomaly score in [0, 1], the expected value with a band, and whether the point alarms.
/// <para>
/// The recent shape of the series (range-normalised, averaged into a few features) is matched against learnt shape
/// categories (adaptive resonance); a shape that fits none is novel, and how far it lies from every known one is
/// the score. Novel shapes are learnt at once, so a new level or a new daily pattern stops alarming after one
/// alarm. After an alarm, scores are held down for a refractory period, and a detector that alarmed recently
/// needs a stronger novelty to alarm again (habituation), so a noisy series does not flood operators.
/// </para>
/// <para>
/// The points' timestamps feed daily and weekly seasonal baselines (<see cref="SeasonalBaseline"/>): where a season
/// explains most of the series' variation, the expected value and band follow the seasonal curve, and a sustained
/// departure from it scores too (the higher of the two scores counts), so a daily pattern that shifts or flattens
/// is caught even while every value stays inside the learnt range. Gaps and irregular timestamps need no care.
/// </para>
/// Causal (a point's result depends only on it and earlier points), deterministic (no randomness), O(1) work
/// per point and fixed memory (categories are capped; the seasons hold about 15 KB). Not thread-safe: use one detector per series, fed by one
/// loop.
/// </summary>
public sealed class AnomalyDetector
{
    /// <summary>Features of a shape: six averaged stretches, the current partial stretch and the current value.</summary>
    private const int Features = 8;

    /// <summary>Points averaged into one feature: a shape covers about 28 points.</summary>
    private const int Chunk = 4;

    /// <summary>Novelty (in normalised units per feature) that maps to a score of 0.5.</summary>
    private const double HalfScoreNovelty = 0.02;

    /// <summary>Refractory period after an alarm, as a share of the learning period.</summary>
    private const double RefractoryShare = 0.15;

    /// <summary>How much each recent alarm divides later scores, and how long (in learning periods) it is remembered.</summary>
    private const double Habituation = 0.1;

    private const double HabituationPeriods = 4;

    /// <summary>Smallest seasonal spread scored against, as a share of the learnt range.</summary>
    private const double SeasonalFloor = 0.002;

    private readonly AnomalyDetectorOptions _options;
    private readonly RangeNormaliser _range = new();
    private readonly StepNoise _noise = new();
    private readonly RobustBaseline _baseline = new();
    private readonly SeasonalBaseline _seasons = new();
    private readonly WindowResonance _resonance;
    private readonly OnsetGate _gate;

    /// <summary>Creates a detector; throws <see cref="ArgumentException"/> naming every invalid option.</summary>
    public AnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        _options = options ?? new AnomalyDetectorOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("The anomaly detector options are invalid: " + string.Join(" ", errors), nameof(options));
        }

        var learning = _options.LearningPoints;
        _resonance = new WindowResonance(Features, Chunk, _options.MaxCategories);
        _gate = new OnsetGate(
            Math.Max(1, (int)(learning * RefractoryShare)), _options.AlarmThreshold, Habituation, HabituationPeriods * learning);
    }

    /// <summary>Points observed so far.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Scores the next point. <paramref name="at"/> is its time; points must come in time order (the detector does
    /// not reorder them, and the shapes it learns are sequences of points). A non-finite value is scored as the
    /// previous value would be, and never alarms.
    /// </summary>
    public AnomalyPoint Observe(DateTimeOffset at, double value)
    {
        var finite = double.IsFinite(value);
        if (!finite)
        {
            value = Count == 0 ? 0 : _baseline.Last;
        }

        Count++;
        var learning = Count <= _options.LearningPoints;
        // A non-finite value is not learnt by the seasons: the value standing in for it says nothing about its time.
        (double Score, double Expected, double Sigma, double Weight) seasonal;
        if (finite)
        {
            seasonal = _seasons.Observe(at, value, SeasonalFloor * _range.Span);
        }
        else
        {
            var (expected, sigma, weight) = _seasons.Predict(at);
            seasonal = (0, expected, sigma, weight);
        }

        var band = Band(value, seasonal.Expected, seasonal.Sigma, seasonal.Weight);
        _baseline.Update(value);
        if (learning)
        {
            _range.Learn(value);
            _noise.Learn(value);
        }

        var z = _range.Normalise(value);
        // Allowance of a category's box over all features: Vigilance typical steps per feature, in normalised units.
        var allowance = Math.Max(1e-3, _options.Vigilance * _noise.TypicalStep / _range.Span) * Features;
        var novelty = _resonance.Observe(z, allowance);
        var score = novelty / (novelty + HalfScoreNovelty);
        score = Math.Max(score, seasonal.Score);
        var (gated, alarm) = _gate.Observe(learning || !finite ? 0 : score, learning);
        return new AnomalyPoint(gated, band.Expected, band.Lower, band.Upper, alarm);
    }

    /// <summary>The plain baseline's band, drawn towards the seasonal expectation as far as the season counts.</summary>
    private (double Expected, double Lower, double Upper) Band(double value, double expected, double sigma, double weight)
    {
        var plain = _baseline.Band(_options.BandWidth, value);
        if (weight <= 0)
        {
            return plain;
        }

        var center = (weight * expected) + ((1 - weight) * plain.Expected);
        var half = (weight * _options.BandWidth * sigma) + ((1 - weight) * (plain.Upper - plain.Expected));
        return (center, center - half, center + half);
    }
}
