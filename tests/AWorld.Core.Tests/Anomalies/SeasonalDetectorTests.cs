using AWorld.Core.Anomalies;

namespace AWorld.Core.Tests.Anomalies;

/// <summary>
/// The detector's daily and weekly seasons, through <see cref="AnomalyDetector"/> and through
/// <see cref="SeasonalBaseline"/> alone: a daily curve is learnt from the timestamps, a change of the daily pattern
/// that stays inside the series' range is flagged, and the band follows the curve.
/// </summary>
public class SeasonalDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>Points per day and per hour at a 5-minute step.</summary>
    private const int Day = 288;

    private const int Hour = 12;

    /// <summary>The first point of the day whose pattern the tests change (day 18 of 21).</summary>
    private const int Changed = Day * 17;

    [Fact]
    public void Observe_NoisyDailySineOverThreeWeeks_RaisesNoAlarmAfterLearning()
    {
        var points = Run(Noisy(Curve(Day * 21), seed: 31));

        Assert.DoesNotContain(points.Skip(750), p => p.IsAnomalous);
    }

    [Fact]
    public void Observe_DailyPeakMovedBySixHours_IsFlaggedThatDayWhileInsideTheRange()
    {
        // That day the curve runs at half speed until noon (its peak comes at 12:00 instead of 06:00) and catches up
        // by midnight: the same values and slopes as any day, continuous, only at other times of day.
        var series = Noisy(Curve(Day * 21), seed: 37);
        Warp(series, i => i < 12 * Hour ? i / 2.0 : (6 * Hour) + (1.5 * (i - (12 * Hour))));

        var alarms = Alarms(Run(series));

        Assert.InRange(series[Changed..(Changed + Day)].Max(), 0, series[..Changed].Max());
        Assert.InRange(series[Changed..(Changed + Day)].Min(), series[..Changed].Min(), 200);
        Assert.Contains(alarms, a => a >= Changed && a < Changed + (12 * Hour));
        Assert.DoesNotContain(alarms, a => a < Changed);
    }

    [Fact]
    public void Observe_NightAtDaytimeLevel_IsFlaggedWhileInsideTheRange()
    {
        // That day the curve slows to half speed after its 06:00 peak, so at 18:00 (normally the trough, 60) it is
        // still at its daytime level (100), and catches up by midnight.
        var series = Noisy(Curve(Day * 21), seed: 41);
        Warp(series, i => i < 6 * Hour ? i : i < 18 * Hour ? (6 * Hour) + ((i - (6 * Hour)) / 2.0) : (12 * Hour) + (2.0 * (i - (18 * Hour))));

        var alarms = Alarms(Run(series));

        Assert.InRange(series[Changed + (18 * Hour)], 95, 105);
        Assert.InRange(series[Changed..(Changed + Day)].Max(), 0, series[..Changed].Max());
        Assert.Contains(alarms, a => a >= Changed + (6 * Hour) && a < Changed + (18 * Hour));
        Assert.DoesNotContain(alarms, a => a < Changed);
    }

    [Fact]
    public void Observe_AfterTwoWeeks_ExpectedValueFollowsTheDailyCurve()
    {
        var series = Noisy(Curve(Day * 15), seed: 43);
        var points = Run(series);

        // Every hour of the last day: the expectation is the curve at that hour (noise ±2, amplitude 40), not the
        // curve some time earlier, and the band is narrow around it.
        for (var h = 0; h < 24; h++)
        {
            var i = (Day * 14) + (h * Hour);
            Assert.InRange(points[i].Expected, Sine(i) - 2, Sine(i) + 2);
            Assert.InRange(points[i].Upper - points[i].Lower, 0, 25);
        }
    }

    [Fact]
    public void Seasons_OneMinuteDailyCurveWithGaps_CountFullyAndPredictTheCurve()
    {
        var seasons = new SeasonalBaseline();
        var step = TimeSpan.FromMinutes(1);
        var random = new Random(47);
        // A week of 1-minute points with jittered timestamps and a 3-hour gap (12:00 to 15:00) every day.
        for (var i = 0; i < 7 * 1440; i++)
        {
            if (i % 1440 is >= 720 and < 900)
            {
                continue;
            }

            var at = Start + (step * i) + TimeSpan.FromSeconds(random.Next(-20, 20));
            seasons.Observe(at, 100 + (40 * Math.Sin(2 * Math.PI * i / 1440)) + random.NextDouble(), 0.01);
        }

        var peak = Start + TimeSpan.FromDays(7) + TimeSpan.FromHours(6);
        var (expected, sigma, weight) = seasons.Predict(peak);

        Assert.Equal(1, weight);
        Assert.InRange(expected, 137.5, 143.5);
        Assert.InRange(sigma, 0, 2);
    }

    [Fact]
    public void Seasons_NoiseWithoutADailyPattern_DoNotCount()
    {
        var seasons = new SeasonalBaseline();
        var random = new Random(53);
        for (var i = 0; i < Day * 10; i++)
        {
            seasons.Observe(Start + (Step * i), 100 + (random.NextDouble() * 10), 0.01);
        }

        Assert.Equal(0, seasons.Predict(Start + (Step * Day * 10)).Weight);
    }

    [Fact]
    public void Seasons_OnePointADay_DoNotCount()
    {
        var seasons = new SeasonalBaseline();
        for (var i = 0; i < 60; i++)
        {
            seasons.Observe(Start + TimeSpan.FromDays(i), 100 + (40 * Math.Sin(i)), 0.01);
        }

        Assert.Equal(0, seasons.Predict(Start + TimeSpan.FromDays(60)).Weight);
    }

    /// <summary>Replaces the changed day by the curve at <paramref name="phase"/>(point of the day), keeping its noise.</summary>
    private static void Warp(double[] series, Func<int, double> phase)
    {
        for (var i = 0; i < Day; i++)
        {
            var at = Changed + i;
            series[at] = Sine(Changed + phase(i)) + (series[at] - Sine(at));
        }
    }

    private static List<int> Alarms(AnomalyPoint[] points) =>
        [.. points.Select((p, i) => (p, i)).Where(x => x.p.IsAnomalous).Select(x => x.i)];

    private static AnomalyPoint[] Run(double[] series)
    {
        var detector = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = 750 });
        return [.. series.Select((v, i) => detector.Observe(Start + (Step * i), v))];
    }

    /// <summary>The daily curve: 100 ± 40, peak at 06:00, trough at 18:00.</summary>
    private static double Sine(double i) => 100 + (40 * Math.Sin(2 * Math.PI * i / Day));

    private static double[] Curve(int count) => [.. Enumerable.Range(0, count).Select(i => Sine(i))];

    /// <summary>Adds uniform noise of amplitude 2 from a seeded generator.</summary>
    private static double[] Noisy(double[] series, int seed)
    {
        var random = new Random(seed);
        return [.. series.Select(v => v + ((random.NextDouble() - 0.5) * 4))];
    }
}
