using System.Diagnostics;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Xunit.Abstractions;

namespace AWorld.Twin.Tests;

/// <summary>
/// The twin's CloudWatch under <see cref="MetricCadence.CloudWatch"/>: minutes of standard metrics late, partial then final;
/// 1-second canaries; retention tiers and GetMetricData's period rules; history before the start. Virtual time only.
/// </summary>
public class CloudWatchCadenceTests(ITestOutputHelper output)
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task StandardMinute_IsAbsentUntilItsFirstDelay_ThenPresent_AndFinalWithinThreeMinutes()
    {
        var twin = CloudWatchTwin();
        var series = Series(twin, Region, EstateMetric.ApiRequests);
        var slot = twin.MetricStore.Slot(series.Key);
        var start = twin.StartTime;
        var finals = new Dictionary<DateTimeOffset, double>();
        for (var s = 0; s < 12 * 60; s++)
        {
            twin.Step();
            var answer = await ReadAsync(twin, series, 60, start, start.AddMinutes(8));
            var now = twin.Now;
            for (var m = 0; m < 8; m++)
            {
                var minute = start.AddMinutes(m);
                var (firstVisible, complete, _) = twin.MetricStore.Delays(slot, minute.ToUnixTimeSeconds() / 60);
                var end = minute.AddMinutes(1);
                var at = Array.IndexOf(answer.Timestamps, minute);
                Assert.True(now >= end.AddSeconds(firstVisible) == at >= 0, $"minute {m} at {now:T}: first visible after {firstVisible} s");
                Assert.InRange(firstVisible, 60, 120);
                Assert.InRange(complete, firstVisible, 180);
                if (now >= end.AddSeconds(complete))
                {
                    // Final: the same value from then on.
                    var value = answer.Values[at];
                    Assert.Equal(finals.GetValueOrDefault(minute, value), value);
                    finals[minute] = value;
                }
            }
        }

        Assert.Equal(8, finals.Count);
    }

    [Fact]
    public async Task StandardMinute_BeforeItsCompleteDelay_IsComputedFromItsFirstSeconds_ThenSettles()
    {
        var twin = CloudWatchTwin();
        var immediate = Twins.Create(7);
        var series = Series(twin, Region, EstateMetric.ApiRequests);
        var slot = twin.MetricStore.Slot(series.Key);

        // A minute whose partial phase lasts (most do).
        var minute = Enumerable.Range(1, 30).Select(m => twin.StartTime.AddMinutes(m))
            .First(m => twin.MetricStore.Delays(slot, m.ToUnixTimeSeconds() / 60) is var d && d.Complete > d.FirstVisible + 5);
        var (firstVisible, complete, share) = twin.MetricStore.Delays(slot, minute.ToUnixTimeSeconds() / 60);
        var end = minute.AddMinutes(1);
        twin.AdvanceTo(end.AddSeconds(firstVisible));
        immediate.AdvanceTo(end.AddSeconds(firstVisible));
        var seconds = await ReadAsync(immediate, series, 1, minute, end);
        Assert.Equal(60, seconds.Values.Length);
        var partialCount = (int)Math.Ceiling(share * 60);

        var partial = await ReadAsync(twin, series, 60, minute, end);
        Assert.Equal(seconds.Values.Take(partialCount).Sum(), Assert.Single(partial.Values), 6);
        Assert.True(partialCount < 60 && partial.Values[0] < seconds.Values.Sum());

        twin.AdvanceTo(end.AddSeconds(complete - 1));
        Assert.Equal(partial.Values, (await ReadAsync(twin, series, 60, minute, end)).Values);

        twin.AdvanceTo(end.AddSeconds(complete));
        var final = Assert.Single((await ReadAsync(twin, series, 60, minute, end)).Values);
        Assert.Equal(seconds.Values.Sum(), final, 1e-3 * final);
        foreach (var later in new[] { 1, 60, 600, 3600 })
        {
            twin.AdvanceTo(end.AddSeconds(complete + later));
            Assert.Equal(final, Assert.Single((await ReadAsync(twin, series, 60, minute, end)).Values));
        }
    }

    [Fact]
    public async Task StandardSeries_AskedAtOneSecond_AnswerAtMinuteStarts_CanaryAtSeconds()
    {
        var twin = CloudWatchTwin();
        twin.Run(TimeSpan.FromMinutes(10));
        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var canary = Series(twin, Region, EstateMetric.CanarySuccess);

        var perSecond = await ReadAsync(twin, requests, 1, twin.StartTime, twin.Now);
        var perMinute = await ReadAsync(twin, requests, 60, twin.StartTime, twin.Now);
        Assert.InRange(perSecond.Values.Length, 7, 9);
        Assert.All(perSecond.Timestamps, t => Assert.Equal(0, t.ToUnixTimeSeconds() % 60));
        Assert.Equal(perMinute.Values, perSecond.Values);
        Assert.Equal(perMinute.Timestamps, perSecond.Timestamps);

        var canarySeconds = await ReadAsync(twin, canary, 1, twin.Now.AddMinutes(-1), twin.Now);
        Assert.Equal(58, canarySeconds.Values.Length);
        Assert.Equal(twin.Now.AddSeconds(-3), canarySeconds.Timestamps[^1]);
        Assert.All(canarySeconds.Values, v => Assert.True(v is 0 or 1));
        Assert.True(canarySeconds.Values.Average() > 0.9);

        var latency = await ReadAsync(twin, Series(twin, Region, EstateMetric.CanaryLatency), 10, twin.Now.AddMinutes(-1), twin.Now);
        Assert.All(latency.Values, v => Assert.InRange(v, 3, 60));
    }

    [Fact]
    public async Task FailingRegion_CanaryPublishesZeros_WithinSeconds()
    {
        var twin = CloudWatchTwin();
        twin.Run(TimeSpan.FromMinutes(2));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        var outage = twin.Now;
        twin.Run(TimeSpan.FromSeconds(5));

        var canary = Series(twin, "eu-central-1", EstateMetric.CanarySuccess);

        // The region's own endpoint is down with it; the twin's store holds the canary's zeros for when it answers again.
        await Assert.ThrowsAsync<EstateServiceException>(() => ReadAsync(twin, canary, 1, outage, twin.Now));
        twin.Run(TimeSpan.FromMinutes(1));
        var store = twin.MetricStore;
        var slot = store.Slot(canary.Key);
        var first = (long)(outage - twin.StartTime).TotalSeconds;
        for (var s = first; s < first + 60; s++)
        {
            Assert.Equal(0, store.Get(s, slot));
            Assert.True(double.IsNaN(store.Get(s, store.Slot(Series(twin, "eu-central-1", EstateMetric.CanaryLatency).Key))));
            Assert.True(double.IsNaN(store.Get(s, store.Slot(Series(twin, "eu-central-1", EstateMetric.ApiRequests).Key))));
        }

        Assert.Equal(1, store.Get(first - 5, slot));
    }

    [Fact]
    public async Task ErrorSpike_CanaryWritesFailAsTheRegionsRequestsFail()
    {
        var twin = CloudWatchTwin();
        twin.Run(TimeSpan.FromMinutes(1));
        twin.Inject(new FaultSpec(FaultKind.Errors, Region, Magnitude: 0.5));
        twin.Run(TimeSpan.FromMinutes(5));

        var success = await ReadAsync(twin, Series(twin, Region, EstateMetric.CanarySuccess), 60, twin.Now.AddMinutes(-4), twin.Now);
        Assert.All(success.Values, v => Assert.InRange(v, 0.3, 0.7));
    }

    [Fact]
    public async Task PeriodRules_FollowTheStartTimesAge()
    {
        var twin = CloudWatchTwin(history: TimeSpan.FromDays(70));
        twin.Run(TimeSpan.FromMinutes(10));
        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var canary = Series(twin, Region, EstateMetric.CanarySuccess);
        var now = twin.Now;

        Assert.NotEmpty((await ReadAsync(twin, canary, 1, now.AddMinutes(-5), now)).Values);
        Assert.Empty((await ReadAsync(twin, canary, 1, now.AddHours(-4), now.AddHours(-4).AddMinutes(5))).Values);
        Assert.Empty((await ReadAsync(twin, requests, 30, now.AddHours(-4), now.AddHours(-3.5))).Values);
        Assert.Equal(30, (await ReadAsync(twin, requests, 60, now.AddHours(-4), now.AddHours(-3.5))).Values.Length);
        Assert.Equal(30, (await ReadAsync(twin, canary, 60, now.AddHours(-4), now.AddHours(-3.5))).Values.Length);

        Assert.Empty((await ReadAsync(twin, requests, 60, now.AddDays(-20), now.AddDays(-20).AddHours(1))).Values);
        Assert.Empty((await ReadAsync(twin, requests, 120, now.AddDays(-20), now.AddDays(-20).AddHours(1))).Values);
        Assert.Equal(12, (await ReadAsync(twin, requests, 300, Hour(now.AddDays(-20)), Hour(now.AddDays(-20)).AddHours(1))).Values.Length);

        Assert.Empty((await ReadAsync(twin, requests, 300, Hour(now.AddDays(-65)), Hour(now.AddDays(-65)).AddHours(1))).Values);
        Assert.Single((await ReadAsync(twin, requests, 3600, Hour(now.AddDays(-65)), Hour(now.AddDays(-65)).AddHours(1))).Values);

        // The history is 70 days: nothing older; and nothing over 455 days old, ever.
        Assert.Empty((await ReadAsync(twin, requests, 3600, now.AddDays(-80), now.AddDays(-71))).Values);
        Assert.Empty((await ReadAsync(twin, requests, 86_400, now.AddDays(-500), now)).Values);
    }

    [Fact]
    public async Task Tiers_RollUpTheMinutes_AndOlderDataComesFromTheCoarserTierOnly()
    {
        var twin = CloudWatchTwin(history: TimeSpan.FromDays(70));
        var store = twin.MetricStore;
        var now = twin.Now;
        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var p99 = Series(twin, Region, EstateMetric.ApiLatencyP99);
        foreach (var series in new[] { requests, p99 })
        {
            var slot = store.Slot(series.Key);
            var hour = Hour(now.AddDays(-10)).ToUnixTimeSeconds();
            var minutes = Enumerable.Range(0, 60).Select(m => store.Tier(60, (hour / 60) + m, slot)).ToList();
            Assert.All(minutes, m => Assert.Equal(60, m.Count));
            var hourly = store.Tier(3600, hour / 3600, slot);
            Assert.Equal(3600, hourly.Count);
            Assert.Equal(minutes.Sum(m => (double)m.Sum), hourly.Sum, 1e-5 * hourly.Sum);
            Assert.Equal(minutes.Min(m => m.Min), hourly.Min);
            Assert.Equal(minutes.Max(m => m.Max), hourly.Max);
            for (var f = 0; f < 12; f++)
            {
                var five = store.Tier(300, (hour / 300) + f, slot);
                Assert.Equal(minutes.Skip(f * 5).Take(5).Sum(m => (double)m.Sum), five.Sum, 1e-5 * five.Sum);
                Assert.Equal(300, five.Count);
            }
        }

        // 10 days ago from the minutes, aggregated to the hour; 20 days ago from the 5-minute tier; 65 days ago from the hourly one.
        var recent = Hour(now.AddDays(-10));
        var hourAnswer = await ReadAsync(twin, requests, 3600, recent, recent.AddHours(1));
        var minuteAnswer = await ReadAsync(twin, requests, 60, recent, recent.AddHours(1));
        Assert.Equal(minuteAnswer.Values.Sum(), Assert.Single(hourAnswer.Values), 1e-5 * hourAnswer.Values[0]);

        var older = Hour(now.AddDays(-20));
        var fiveAnswer = await ReadAsync(twin, requests, 300, older, older.AddHours(1));
        var slotOf = store.Slot(requests.Key);
        Assert.Equal(Enumerable.Range(0, 12).Select(f => (double)store.Tier(300, (older.ToUnixTimeSeconds() / 300) + f, slotOf).Sum), fiveAnswer.Values);

        var oldest = Hour(now.AddDays(-65));
        var hourlyAnswer = await ReadAsync(twin, requests, 7200, oldest, oldest.AddHours(2));
        var expected = store.Tier(3600, oldest.ToUnixTimeSeconds() / 3600, slotOf).Sum + (double)store.Tier(3600, (oldest.ToUnixTimeSeconds() / 3600) + 1, slotOf).Sum;
        Assert.Equal(expected, Assert.Single(hourlyAnswer.Values), 1e-6 * expected);

        // Minutes more than 15 days old are gone from the minute tier's reach.
        Assert.Empty((await ReadAsync(twin, requests, 60, now.AddDays(-16), now.AddDays(-16).AddHours(1))).Values);
    }

    [Fact]
    public async Task OneSecondData_OlderThanThreeHours_IsGone_ItsMinutesRemain()
    {
        var twin = CloudWatchTwin();
        twin.Run(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(10));
        var canary = Series(twin, Region, EstateMetric.CanaryLatency);
        var now = twin.Now;
        var firstMinute = twin.StartTime;

        // A start under 3 hours ago: any period. Over 3 hours: whole minutes only, the seconds are gone.
        var seconds = await ReadAsync(twin, canary, 1, now.AddHours(-3).AddMinutes(1), now.AddHours(-3).AddMinutes(2));
        Assert.Equal(60, seconds.Values.Length);
        Assert.Empty((await ReadAsync(twin, canary, 1, now.AddHours(-3).AddMinutes(-1), now.AddHours(-3).AddMinutes(2))).Values);
        Assert.Equal(3, (await ReadAsync(twin, canary, 60, now.AddHours(-3).AddMinutes(-1), now.AddHours(-3).AddMinutes(2))).Values.Length);

        var minutes = await ReadAsync(twin, canary, 60, firstMinute, firstMinute.AddMinutes(5));
        Assert.Equal(5, minutes.Values.Length);
        var slot = twin.MetricStore.Slot(canary.Key);
        Assert.Equal((double)twin.MetricStore.Tier(60, firstMinute.ToUnixTimeSeconds() / 60, slot).Sum / 60, minutes.Values[0], 1e-4);
    }

    [Fact]
    public async Task History_IsThereBeforeTheStart_AndContinuousWithTheLiveMinutes()
    {
        var clock = Stopwatch.StartNew();
        // A Tuesday morning: no weekend ends at the start (the load model's own step at midnight).
        var twin = CloudWatchTwin(history: TimeSpan.FromDays(14), start: new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero));
        clock.Stop();
        output.WriteLine($"14 days of history for the default estate: {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.ElapsedMilliseconds} ms");

        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var p50 = Series(twin, Region, EstateMetric.ApiLatencyP50);
        var start = twin.StartTime;
        Assert.Equal(24 * 60, (await ReadAsync(twin, requests, 60, start.AddDays(-14), start.AddDays(-13))).Values.Length);
        Assert.Equal(24 * 12, (await ReadAsync(twin, requests, 300, start.AddDays(-14), start.AddDays(-13))).Values.Length);
        Assert.Empty((await ReadAsync(twin, requests, 60, start.AddDays(-15), start.AddDays(-14))).Values);

        twin.Run(TimeSpan.FromMinutes(25));
        foreach (var (series, tolerance) in new[] { (requests, 0.06), (p50, 0.06) })
        {
            var before = (await ReadAsync(twin, series, 60, start.AddMinutes(-20), start)).Values;
            var after = (await ReadAsync(twin, series, 60, start, start.AddMinutes(20))).Values;
            Assert.Equal(20, before.Length);
            Assert.Equal(20, after.Length);
            output.WriteLine($"{series.Key}: last history minutes {before.Skip(15).Average():F1}, first live minutes {after.Take(5).Average():F1}");
            Assert.Equal(before.Skip(15).Average(), after.Take(5).Average(), tolerance * before.Average());
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public async Task History_VariesFromMinuteToMinuteLikeLiveMinutes(long seed)
    {
        // Live from a Tuesday 10:00; history's Monday 10:00 to 12:00 has the same daily curve.
        var start = new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero);
        var twin = CloudWatchTwin(seed, history: TimeSpan.FromDays(1), start: start);
        twin.Run(TimeSpan.FromMinutes(125));
        var metrics = new[]
        {
            EstateMetric.ApiRequests, EstateMetric.ApiLatencyP50, EstateMetric.ApiLatencyP99, EstateMetric.LambdaDuration,
            EstateMetric.Api5xx, EstateMetric.Api4xx, EstateMetric.LambdaErrors, EstateMetric.DynamoReadCapacity,
            EstateMetric.DynamoWriteCapacity, EstateMetric.MemoryDbCpu, EstateMetric.MemoryDbConnections, EstateMetric.LambdaConcurrency,
            EstateMetric.CanaryLatency, EstateMetric.DynamoReplicationLatency,
        };
        foreach (var metric in metrics)
        {
            var series = Series(twin, Region, metric);
            // The first live minutes are left out: the live noises start at 0 and take a while to spread.
            var live = (await ReadAsync(twin, series, 60, start.AddMinutes(15), start.AddMinutes(120))).Values;
            var past = (await ReadAsync(twin, series, 60, start.AddDays(-1).AddMinutes(15), start.AddDays(-1).AddMinutes(120))).Values;
            Assert.Equal(105, live.Length);
            Assert.Equal(105, past.Length);
            var (liveSd, pastSd) = (ResidualSd(live), ResidualSd(past));
            output.WriteLine($"{metric,-28} mean live {live.Average(),9:F2} history {past.Average(),9:F2}; sd around 15 minutes live {liveSd,8:F3} history {pastSd,8:F3} ({pastSd / liveSd:F2})");
            Assert.InRange(pastSd / liveSd, 1 / 1.5, 1.5);
            Assert.Equal(live.Average(), past.Average(), 0.06 * live.Average());
        }

        // The spread around a centred 15-minute mean: the minute-to-minute noise, without the daily curve.
        static double ResidualSd(double[] values)
        {
            var residuals = Enumerable.Range(7, values.Length - 14).Select(i => values[i] - values.Skip(i - 7).Take(15).Average()).ToArray();
            return Math.Sqrt(residuals.Select(r => r * r).Average());
        }
    }

    [Fact]
    public async Task History_StartInsideAMinute_MakesThatMinuteWhole()
    {
        var twin = CloudWatchTwin(history: TimeSpan.FromHours(1), start: new DateTimeOffset(2026, 1, 6, 10, 0, 40, TimeSpan.Zero));
        twin.Run(TimeSpan.FromMinutes(6));
        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var minute = new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero);
        var slot = twin.MetricStore.Slot(requests.Key);

        Assert.Equal(60, twin.MetricStore.Tier(60, minute.ToUnixTimeSeconds() / 60, slot).Count);
        var values = (await ReadAsync(twin, requests, 60, minute.AddMinutes(-2), minute.AddMinutes(3))).Values;
        output.WriteLine(string.Join(", ", values));
        Assert.Equal(5, values.Length);
        Assert.All(values, v => Assert.Equal(values.Average(), v, 0.1 * values.Average()));
    }

    [Fact]
    public async Task History_FollowsTheDailyCurve()
    {
        var twin = CloudWatchTwin(history: TimeSpan.FromDays(2));
        var requests = Series(twin, Region, EstateMetric.ApiRequests);
        var day = twin.StartTime.AddDays(-1);
        var hours = (await ReadAsync(twin, requests, 3600, day, day.AddDays(1))).Values;
        Assert.Equal(24, hours.Length);

        // Peak at 14:00 UTC, trough 12 hours away.
        Assert.InRange(Array.IndexOf(hours, hours.Max()), 13, 15);
        Assert.InRange(hours.Min() / hours.Max(), 0.25, 0.5);
    }

    [Fact]
    public void Memory_GrowsWithTime_AndIsSmallForShortRuns()
    {
        var shortRun = CloudWatchTwin();
        shortRun.Run(TimeSpan.FromMinutes(2));
        var small = shortRun.MetricMemory;
        output.WriteLine($"2 minutes: seconds {small.Seconds:N0} B, minutes {small.Minutes:N0} B, 5-minute {small.FiveMinutes:N0} B, hours {small.Hours:N0} B");
        Assert.True(small.Seconds + small.Minutes + small.FiveMinutes + small.Hours < 2_000_000);

        var fifteenDays = CloudWatchTwin(history: TimeSpan.FromDays(15));
        var large = fifteenDays.MetricMemory;
        output.WriteLine($"{fifteenDays.MetricStore.Series.Length} series; 15 days: seconds {large.Seconds:N0} B, minutes {large.Minutes:N0} B, 5-minute {large.FiveMinutes:N0} B, hours {large.Hours:N0} B");
        Assert.True(large.Minutes > small.Minutes);
    }

    [Fact]
    public async Task SameSeed_SameValues_AndReadingChangesNothing()
    {
        var read = CloudWatchTwin(history: TimeSpan.FromDays(1));
        var unread = CloudWatchTwin(history: TimeSpan.FromDays(1));
        var series = read.MetricStore.Series;
        for (var m = 0; m < 8; m++)
        {
            read.Run(TimeSpan.FromMinutes(1));
            foreach (var s in series.Where(s => s.Region == Region))
            {
                await ReadAsync(read, s, 60, read.Now.AddHours(-1), read.Now);
            }
        }

        unread.Run(TimeSpan.FromMinutes(8));
        foreach (var s in series.Where(s => s.QueryRegion == Region))
        {
            var a = await ReadAsync(read, s, 60, read.Now.AddDays(-1), read.Now);
            var b = await ReadAsync(unread, s, 60, unread.Now.AddDays(-1), unread.Now);
            Assert.Equal(a.Values, b.Values);
            Assert.Equal(a.Timestamps, b.Timestamps);
        }

        Assert.Equal(read.Truth().Clients, unread.Truth().Clients);
        var other = CloudWatchTwin(seed: 8, history: TimeSpan.FromDays(1));
        other.Run(TimeSpan.FromMinutes(8));
        var requests = Series(read, Region, EstateMetric.ApiRequests);
        Assert.NotEqual((await ReadAsync(read, requests, 60, read.Now.AddDays(-1), read.Now)).Values, (await ReadAsync(other, requests, 60, other.Now.AddDays(-1), other.Now)).Values);
    }

    [Fact]
    public async Task Cadence_DoesNotChangeTheSimulation()
    {
        var cloudWatch = CloudWatchTwin();
        var immediate = Twins.Create(7);
        cloudWatch.Run(TimeSpan.FromMinutes(10));
        immediate.Run(TimeSpan.FromMinutes(10));

        Assert.Equal(immediate.Truth().Clients, cloudWatch.Truth().Clients);
        Assert.Equal(immediate.Truth().Writes, cloudWatch.Truth().Writes);
        var requests = Series(immediate, Region, EstateMetric.ApiRequests);
        var minute = cloudWatch.StartTime.AddMinutes(2);
        var seconds = await ReadAsync(immediate, requests, 1, minute, minute.AddMinutes(1));
        Assert.Equal(seconds.Values.Sum(), Assert.Single((await ReadAsync(cloudWatch, requests, 60, minute, minute.AddMinutes(1))).Values), 1e-3 * seconds.Values.Sum());
    }

    [Fact]
    public async Task ImmediateCadence_ServesEverySecondAtOnce_ForAnHour()
    {
        var twin = Twins.Create(7);
        Assert.Equal(MetricCadence.CloudWatch, new SimulationOptions().MetricCadence);
        twin.Run(TimeSpan.FromMinutes(65));
        var requests = Series(twin, Region, EstateMetric.ApiRequests);

        var recent = await ReadAsync(twin, requests, 1, twin.Now.AddSeconds(-10), twin.Now);
        Assert.Equal(10, recent.Values.Length);
        Assert.Equal(twin.Now.AddSeconds(-1), recent.Timestamps[^1]);
        var all = await ReadAsync(twin, requests, 1, twin.StartTime, twin.Now);
        Assert.Equal(3600, all.Values.Length);
        Assert.Equal(0, twin.MetricMemory.Minutes);
        var canary = await ReadAsync(twin, Series(twin, Region, EstateMetric.CanarySuccess), 1, twin.Now.AddSeconds(-10), twin.Now);
        Assert.Equal(10, canary.Values.Length);
    }

    [Theory]
    [InlineData(MetricCadence.Immediate, 1, true)]
    [InlineData(MetricCadence.CloudWatch, 455, true)]
    [InlineData(MetricCadence.CloudWatch, 456, false)]
    [InlineData(MetricCadence.CloudWatch, -1, false)]
    public void Validator_BoundsHistory(MetricCadence cadence, int days, bool valid)
    {
        var result = new SimulationOptionsValidator().Validate(null, new SimulationOptions { MetricCadence = cadence, History = TimeSpan.FromDays(days) });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Simulation:History", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private static EstateTwin CloudWatchTwin(long seed = 7, TimeSpan? history = null, DateTimeOffset? start = null) =>
        Twins.Create(seed, simulation: o =>
        {
            o.MetricCadence = MetricCadence.CloudWatch;
            o.History = history ?? TimeSpan.Zero;
            o.StartTime = start ?? o.StartTime;
        });

    private static SeriesDefinition Series(EstateTwin twin, string region, EstateMetric metric) =>
        twin.MetricStore.Series.First(s => s.Region == region && s.Descriptor.Metric == metric);

    private static DateTimeOffset Hour(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static async Task<MetricDataResult> ReadAsync(EstateTwin twin, SeriesDefinition series, int period, DateTimeOffset from, DateTimeOffset to, string? stat = null)
    {
        var query = new MetricDataQuery("q", series.Stat with { PeriodSeconds = period, Stat = stat ?? series.Stat.Stat });
        var answer = await ((ITelemetrySource)twin).GetMetricDataAsync(new GetMetricDataRequest(series.QueryRegion, from, to, [query]), default);
        return Assert.Single(answer.Results);
    }
}
