using AWorld.Core.Anomalies;

namespace AWorld.Core.Tests.Anomalies;

public class AnomalyDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>Points per day at a 5-minute step.</summary>
    private const int Day = 288;

    [Fact]
    public void Observe_ChangedFuturePoints_LeaveEarlierResultsUnchanged()
    {
        var series = Noisy(Daily(2000), seed: 3);
        var changed = (double[])series.Clone();
        for (var i = 1200; i < changed.Length; i++)
        {
            changed[i] = (changed[i] * 3) + 50;
        }

        var original = Run(series, learning: 500);
        var altered = Run(changed, learning: 500);

        Assert.Equal(original[..1200], altered[..1200]);
        Assert.NotEqual(original[1200..], altered[1200..]);
    }

    [Fact]
    public void Observe_SameSeriesTwice_GivesIdenticalResults()
    {
        var series = Noisy(Daily(3000), seed: 11);
        series[2500] += 40;

        Assert.Equal(Run(series, learning: 750), Run(series, learning: 750));
    }

    [Fact]
    public void Observe_AnySeries_ScoresInUnitRangeAndBandsFiniteAndOrdered()
    {
        var series = Noisy(Daily(3000), seed: 5);
        series[0] = 1e6;
        series[1500] = -1e9;
        series[2000] = 0;
        for (var i = 2600; i < 2700; i++)
        {
            series[i] = 1e12;
        }

        var points = Run(series, learning: 300);

        Assert.All(points, p =>
        {
            Assert.InRange(p.Score, 0, 1);
            Assert.True(double.IsFinite(p.Expected) && double.IsFinite(p.Lower) && double.IsFinite(p.Upper), $"band {p}");
            Assert.True(p.Lower <= p.Expected && p.Expected <= p.Upper, $"band {p}");
        });
    }

    [Fact]
    public void Observe_FirstPoint_HasAFiniteBandAroundItself()
    {
        var point = new AnomalyDetector().Observe(Start, 42);

        Assert.Equal(42, point.Expected);
        Assert.Equal(42, point.Lower);
        Assert.Equal(42, point.Upper);
        Assert.Equal(0, point.Score);
    }

    [Fact]
    public void Observe_NoisyDailySinusoid_RaisesNoAlarmAfterLearning()
    {
        var points = Run(Noisy(Daily(Day * 14), seed: 7), learning: 750);

        Assert.DoesNotContain(points.Skip(750), p => p.IsAnomalous);
    }

    [Fact]
    public void Observe_LevelShift_AlarmsOnceNearTheShiftAndThenStops()
    {
        var series = Noisy(Flat(4000, 100), seed: 13);
        for (var i = 2000; i < series.Length; i++)
        {
            series[i] += 30;
        }

        var alarms = Alarms(Run(series, learning: 750));

        Assert.NotEmpty(alarms);
        Assert.InRange(alarms[0], 2000, 2010);
        Assert.True(alarms.Count <= 2, $"alarms at {string.Join(", ", alarms)}");
        Assert.DoesNotContain(alarms, a => a > 2300);
    }

    [Fact]
    public void Observe_SpikeInFlatSeries_IsFlaggedAtTheSpike()
    {
        var series = Noisy(Flat(3000, 50), seed: 17);
        series[2200] += 25;

        var points = Run(series, learning: 750);

        Assert.Equal([2200], Alarms(points));
        Assert.True(points[2200].Score > 0.5);
        Assert.True(points[2200].Upper < series[2200], "the spike lies above the band");
    }

    [Fact]
    public void Observe_LearningPeriod_NeverScoresOrAlarms()
    {
        var series = Noisy(Flat(1000, 50), seed: 19);
        series[300] += 100;

        var points = Run(series, learning: 500);

        Assert.All(points.Take(500), p => Assert.Equal((0.0, false), (p.Score, p.IsAnomalous)));
        var detector = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = 500 });
        Feed(detector, series);
        Assert.Equal(1000, detector.Count);
    }

    [Fact]
    public void Observe_NonFiniteValue_IsNotAnAlarmAndKeepsTheBandFinite()
    {
        var series = Noisy(Flat(1200, 50), seed: 23);
        var detector = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = 500 });
        Feed(detector, series);

        var point = detector.Observe(Start + (Step * 1200), double.NaN);

        Assert.False(point.IsAnomalous);
        Assert.True(double.IsFinite(point.Lower) && double.IsFinite(point.Upper));
    }

    [Theory]
    [InlineData(nameof(AnomalyDetectorOptions.LearningPoints))]
    [InlineData(nameof(AnomalyDetectorOptions.AlarmThreshold))]
    [InlineData(nameof(AnomalyDetectorOptions.BandWidth))]
    [InlineData(nameof(AnomalyDetectorOptions.Vigilance))]
    [InlineData(nameof(AnomalyDetectorOptions.MaxCategories))]
    public void Constructor_InvalidOption_IsRejectedNamingTheOption(string option)
    {
        var options = option switch
        {
            nameof(AnomalyDetectorOptions.LearningPoints) => new AnomalyDetectorOptions { LearningPoints = 0 },
            nameof(AnomalyDetectorOptions.AlarmThreshold) => new AnomalyDetectorOptions { AlarmThreshold = 1.5 },
            nameof(AnomalyDetectorOptions.BandWidth) => new AnomalyDetectorOptions { BandWidth = double.NaN },
            nameof(AnomalyDetectorOptions.Vigilance) => new AnomalyDetectorOptions { Vigilance = 0 },
            _ => new AnomalyDetectorOptions { MaxCategories = 0 },
        };

        var error = Assert.Throws<ArgumentException>(() => new AnomalyDetector(options));

        Assert.Contains(option + " is", error.Message, StringComparison.Ordinal);
        Assert.Single(options.Validate());
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(new AnomalyDetectorOptions().Validate());
    }

    private static List<int> Alarms(AnomalyPoint[] points) =>
        [.. points.Select((p, i) => (p, i)).Where(x => x.p.IsAnomalous).Select(x => x.i)];

    private static AnomalyPoint[] Run(double[] series, int learning)
    {
        var detector = new AnomalyDetector(new AnomalyDetectorOptions { LearningPoints = learning });
        return [.. series.Select((v, i) => detector.Observe(Start + (Step * i), v))];
    }

    private static void Feed(AnomalyDetector detector, double[] series)
    {
        for (var i = 0; i < series.Length; i++)
        {
            detector.Observe(Start + (Step * i), series[i]);
        }
    }

    private static double[] Daily(int count) =>
        [.. Enumerable.Range(0, count).Select(i => 100 + (40 * Math.Sin(2 * Math.PI * i / Day)))];

    private static double[] Flat(int count, double level) => [.. Enumerable.Repeat(level, count)];

    /// <summary>Adds uniform noise of amplitude 2 from a seeded generator.</summary>
    private static double[] Noisy(double[] series, int seed)
    {
        var random = new Random(seed);
        return [.. series.Select(v => v + ((random.NextDouble() - 0.5) * 4))];
    }
}
