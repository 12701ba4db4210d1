namespace AWorld.Twin;

/// <summary>
/// The minute-level view of a per-second AR(1) noise x(t) = phi·x(t−1) + sigma·ε: the spread of its 60-second means and
/// the correlation of consecutive ones, computed exactly from phi and sigma, as an AR(1) over minutes that history can
/// draw without stepping seconds.
/// </summary>
/// <param name="SecondVariance">Stationary variance of the per-second noise.</param>
/// <param name="MinuteSd">Standard deviation of a block mean.</param>
/// <param name="Persistence">Correlation of consecutive block means: the minute AR(1)'s phi.</param>
internal readonly record struct MinuteNoise(double SecondVariance, double MinuteSd, double Persistence)
{
    /// <summary>The minute AR(1)'s innovation, so that its stationary spread is <see cref="MinuteSd"/>.</summary>
    public double Innovation => MinuteSd * Math.Sqrt(Math.Max(0, 1 - (Persistence * Persistence)));

    /// <summary>Expected variance of the seconds around their minute's mean.</summary>
    public double WithinVariance => Math.Max(0, SecondVariance - (MinuteSd * MinuteSd));

    /// <summary>The minute view of the AR(1) with <paramref name="phi"/> and <paramref name="sigma"/>, over blocks of <paramref name="block"/> seconds.</summary>
    public static MinuteNoise OfAr1(double phi, double sigma, int block = 60)
    {
        var variance = sigma * sigma / (1 - (phi * phi));
        var (meanVariance, nextCovariance) = BlockMoments(k => variance * Math.Pow(phi, k), block);
        return new MinuteNoise(variance, Math.Sqrt(meanVariance), nextCovariance / meanVariance);
    }

    /// <summary>
    /// For a stationary series with <paramref name="autocovariance"/> (by lag), the variance of the mean of
    /// <paramref name="block"/> consecutive values and the covariance of two consecutive such means.
    /// </summary>
    public static (double MeanVariance, double NextCovariance) BlockMoments(Func<int, double> autocovariance, int block)
    {
        var n = block;
        var gamma = new double[2 * n];
        for (var k = 0; k < gamma.Length; k++)
        {
            gamma[k] = autocovariance(k);
        }

        var variance = n * gamma[0];
        for (var k = 1; k < n; k++)
        {
            variance += 2 * (n - k) * gamma[k];
        }

        var covariance = 0.0;
        for (var d = 1; d < 2 * n; d++)
        {
            covariance += Math.Min(d, (2 * n) - d) * gamma[d];
        }

        return (variance / ((double)n * n), covariance / ((double)n * n));
    }

    /// <summary>
    /// Mean and autocovariance (lags 0 to <paramref name="lags"/>−1) of exp|x| for a stationary Gaussian AR(1) x with
    /// standard deviation <paramref name="sd"/> and persistence <paramref name="phi"/>, by quadrature.
    /// </summary>
    public static (double Mean, double[] Autocovariance) FoldedExpMoments(double sd, double phi, int lags)
    {
        const double Step = 0.08;
        const int Half = 75; // ±6 standard deviations
        var z = new double[(2 * Half) + 1];
        var w = new double[z.Length];
        var total = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = (i - Half) * Step;
            w[i] = Math.Exp(-z[i] * z[i] / 2);
            total += w[i];
        }

        for (var i = 0; i < w.Length; i++)
        {
            w[i] /= total;
        }

        var mean = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            mean += w[i] * Math.Exp(sd * Math.Abs(z[i]));
        }

        var result = new double[lags];
        for (var k = 0; k < lags; k++)
        {
            var rho = Math.Pow(phi, k);
            var rest = Math.Sqrt(Math.Max(0, 1 - (rho * rho)));
            var second = 0.0;
            for (var i = 0; i < z.Length; i++)
            {
                var a = Math.Exp(sd * Math.Abs(z[i]));
                var inner = 0.0;
                for (var j = 0; j < z.Length; j++)
                {
                    inner += w[j] * Math.Exp(sd * Math.Abs((rho * z[i]) + (rest * z[j])));
                }

                second += w[i] * a * inner;
            }

            result[k] = second - (mean * mean);
            if (k > 0 && Math.Abs(result[k]) < 1e-9 * result[0])
            {
                // Correlation has died out: the rest is zero.
                break;
            }
        }

        return (mean, result);
    }
}
