namespace AWorld.Core.Anomalies;

/// <summary>
/// Daily and weekly seasonal expectations of a series, and how far the recent values stray from the one that fits.
/// <para>
/// Two <see cref="SeasonalProfile"/>s (time of day, time of week) learn alongside each other. Each keeps a forgotten
/// mean absolute error of its prediction and of the bare level: their ratio is the share of the series' variation
/// the season leaves unexplained. A season whose period spans too few samples (the sampling interval is inferred
/// from the timestamps), or that explains too little, stays out: such a series gets no seasonal score and its band
/// is the detector's plain baseline. Otherwise the best season sets the expected value and band (so the band
/// follows the daily curve instead of lagging it) and a sustained residual against it scores: a daily pattern
/// that shifts or flattens stands out even while every value stays inside the range the series has seen.
/// </para>
/// The profiles learn values clipped to a few spreads of their prediction, so one incident does not rewrite them.
/// </summary>
internal sealed class SeasonalBaseline
{
    /// <summary>Mean absolute deviation times this estimates a standard deviation for Gaussian noise.</summary>
    private const double DeviationToSigma = 1.2533;

    /// <summary>A season needs at least this many samples per period to be judged.</summary>
    private const double MinSamplesPerPeriod = 16;

    /// <summary>Unexplained share at which a season starts to count, and at which it counts fully.</summary>
    private const double RatioStart = 0.6;

    private const double RatioFull = 0.4;

    /// <summary>Weight of the newest standardised residual in the sustained residual (about the last 6 points).</summary>
    private const double Sustain = 0.3;

    /// <summary>Sustained residual (in its own standard deviations) below which nothing scores, and at which the score is 0.5.</summary>
    private const double Quiet = 4.0;

    private const double HalfScore = 16.0;

    /// <summary>Values are learnt clipped to this many spreads around the prediction.</summary>
    private const double Clip = 5.0;

    /// <summary>
    /// Largest standardised residual one point adds to the sustained residual: a lone spike is the shape detector's
    /// business; the seasonal score needs several points away from the curve.
    /// </summary>
    private const double ZLimit = 10.0;

    private readonly Season[] _seasons =
    [
        new(new SeasonalProfile(TimeSpan.FromDays(1), 288)),
        new(new SeasonalProfile(TimeSpan.FromDays(7), 336)),
    ];

    private readonly double _sustainSigma = Math.Sqrt(Sustain / (2 - Sustain));
    private double _interval;
    private long _lastTicks;
    private long _count;
    private double _sustained;

    /// <summary>
    /// The seasonal expectation of the point at <paramref name="at"/>, its spread and how much the season counts
    /// (0 = not seasonal, 1 = fully), before the point is learnt.
    /// </summary>
    public (double Expected, double Sigma, double Weight) Predict(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var best = Best();
        if (best is null)
        {
            return (0, 0, 0);
        }

        return (best.Profile.Expected(ticks), DeviationToSigma * best.Error, Weight(best));
    }

    /// <summary>
    /// Learns the point. Returns its seasonal score in [0, 1] (how strongly the recent residuals against the best
    /// season's expectation stay away from zero, times how much the season counts) with the expectation, spread and
    /// weight <see cref="Predict"/> gave before the point was learnt. <paramref name="floor"/> is the smallest spread
    /// worth scoring against (a noiseless series has none).
    /// </summary>
    public (double Score, double Expected, double Sigma, double Weight) Observe(DateTimeOffset at, double value, double floor)
    {
        var ticks = at.UtcTicks;
        if (_count > 0)
        {
            var gap = Math.Max(0, ticks - _lastTicks);
            _interval = _count == 1 ? gap : _interval + (0.05 * (gap - _interval));
        }

        _count++;
        _lastTicks = Math.Max(_lastTicks, ticks);

        foreach (var season in _seasons)
        {
            season.Predict(ticks);
        }

        var best = Best();
        var result = (Score: 0.0, Expected: 0.0, Sigma: 0.0, Weight: 0.0);
        if (best is not null)
        {
            var sigma = Math.Max(DeviationToSigma * best.Error, floor);
            var z = (value - best.Expected) / sigma;
            _sustained += Sustain * (Math.Clamp(z, -ZLimit, ZLimit) - _sustained);
            var u = Math.Max(0, (Math.Abs(_sustained) / _sustainSigma) - Quiet) / (HalfScore - Quiet);
            var weight = Weight(best);
            result = (weight * (u * u) / ((u * u) + 1), best.Expected, DeviationToSigma * best.Error, weight);
        }
        else
        {
            _sustained = 0;
        }

        foreach (var season in _seasons)
        {
            season.Learn(ticks, value, floor);
        }

        return result;
    }

    private static double Weight(Season season) =>
        Math.Clamp((RatioStart - season.Unexplained) / (RatioStart - RatioFull), 0, 1);

    private Season? Best()
    {
        Season? best = null;
        foreach (var season in _seasons)
        {
            var samples = _interval > 0 ? season.Profile.Period.Ticks / _interval : 0;
            if (samples >= MinSamplesPerPeriod && season.Unexplained < RatioStart && (best is null || season.Unexplained < best.Unexplained))
            {
                best = season;
            }
        }

        return best;
    }

    private sealed class Season(SeasonalProfile profile)
    {
        private long _firstTicks;
        private long _lastTicks;
        private bool _started;

        public SeasonalProfile Profile { get; } = profile;

        /// <summary>Forgotten mean absolute error of the seasonal prediction.</summary>
        public double Error { get; private set; }

        /// <summary>Forgotten mean absolute deviation from the bare level.</summary>
        public double Deviation { get; private set; }

        /// <summary>Share of the variation around the level the season leaves unexplained (1 before anything is known).</summary>
        public double Unexplained => Deviation > 0 ? Error / Deviation : 1;

        /// <summary>The prediction for the point being observed, set by <see cref="Predict"/>.</summary>
        public double Expected { get; private set; }

        public void Predict(long ticks) => Expected = Profile.Expected(ticks);

        /// <summary>Learns the point <see cref="Predict"/> was last called for.</summary>
        public void Learn(long ticks, double value, double floor)
        {
            var expected = Expected;
            var error = Math.Abs(value - expected);
            var deviation = Math.Abs(value - Profile.Level);
            var spread = Math.Max(DeviationToSigma * Error, floor);
            if (_started)
            {
                // Errors and deviations are forgotten over one period, and clipped so one spike does not sway them.
                var elapsed = Math.Max(0, ticks - _lastTicks);
                var alpha = 1 - Math.Exp(-(double)elapsed / Profile.Period.Ticks);
                var limit = Clip * spread;
                Error += alpha * (Math.Min(error, limit) - Error);
                Deviation += alpha * (Math.Min(deviation, Clip * Math.Max(DeviationToSigma * Deviation, floor)) - Deviation);
            }

            else
            {
                _firstTicks = ticks;
                _started = true;
            }

            _lastTicks = Math.Max(_lastTicks, ticks);
            // The first period is learnt as it comes: there is no prediction yet to clip against.
            var learnt = ticks - _firstTicks < Profile.Period.Ticks
                ? value
                : Math.Clamp(value, expected - (Clip * spread), expected + (Clip * spread));
            Profile.Update(ticks, learnt, expected);
        }
    }
}
