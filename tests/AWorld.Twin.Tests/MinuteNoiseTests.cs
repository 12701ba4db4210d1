namespace AWorld.Twin.Tests;

/// <summary>The minute view of a per-second AR(1) noise that history draws from.</summary>
public class MinuteNoiseTests
{
    [Fact]
    public void WhiteNoise_MinuteMeanSpreadsBySqrt60_AndIsUncorrelated()
    {
        var noise = MinuteNoise.OfAr1(0, 0.5);
        Assert.Equal(0.5 / Math.Sqrt(60), noise.MinuteSd, 1e-12);
        Assert.Equal(0, noise.Persistence, 1e-12);
        Assert.Equal(0.25 * 59 / 60, noise.WithinVariance, 1e-12);
    }

    [Theory]
    [InlineData(0.97, 0.03)]
    [InlineData(0.9, 0.15)]
    [InlineData(0.995, 0.05)]
    public void Ar1_MatchesTheBlockMeansOfASimulatedSeries(double phi, double sigma)
    {
        var noise = MinuteNoise.OfAr1(phi, sigma);
        var random = new Random(11);
        const int Minutes = 20_000;
        var means = new double[Minutes];
        var x = sigma / Math.Sqrt(1 - (phi * phi)) * Gaussian(random);
        for (var m = 0; m < Minutes; m++)
        {
            var sum = 0.0;
            for (var s = 0; s < 60; s++)
            {
                x = (phi * x) + (sigma * Gaussian(random));
                sum += x;
            }

            means[m] = sum / 60;
        }

        var mean = means.Average();
        var variance = means.Select(v => (v - mean) * (v - mean)).Average();
        var lag1 = Enumerable.Range(1, Minutes - 1).Select(m => (means[m] - mean) * (means[m - 1] - mean)).Average() / variance;
        Assert.Equal(noise.MinuteSd, Math.Sqrt(variance), 0.05 * noise.MinuteSd);
        Assert.Equal(noise.Persistence, lag1, 0.03);
        Assert.InRange(noise.Persistence, 0, 1);
        Assert.Equal(noise.MinuteSd * Math.Sqrt(1 - (noise.Persistence * noise.Persistence)), noise.Innovation, 1e-12);
    }

    [Fact]
    public void FoldedExp_MeanIsTheFoldedNormalsMoment()
    {
        // E[exp|x|] for x ~ N(0, s²) is 2·exp(s²/2)·Φ(s); Φ(0.3441) ≈ 0.63462.
        var sd = 0.15 / Math.Sqrt(1 - 0.81);
        var (mean, autocovariance) = MinuteNoise.FoldedExpMoments(sd, 0.9, 60);
        Assert.Equal(2 * Math.Exp(sd * sd / 2) * 0.634623, mean, 2e-3);
        Assert.True(autocovariance[0] > autocovariance[1] && autocovariance[1] > autocovariance[10] && autocovariance[10] > 0);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
