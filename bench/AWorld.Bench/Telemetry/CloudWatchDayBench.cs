using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Live;
using AWorld.Core.Anomalies;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Bench.Telemetry;

/// <summary>
/// The console on CloudWatch's time: the default estate's twin delivering AWS metrics a minute at a time, one to three
/// minutes late and revised, canaries every second, with a week of history read back at start. Part one: a healthy
/// simulated day through the console's pipeline (monitor and anomaly tracker, every series), counting the moments a
/// region is shown anything but Healthy and the anomaly events per series. Part two: a region outage, the seconds
/// until the view calls the region Unhealthy and until Route 53's own verdict (the checkers' failure threshold), against
/// Route 53's floor (request interval × failure threshold). Also GetMetricData requests and metrics a minute, measured.
/// </summary>
internal static class CloudWatchDayBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var hours = args.Int("hours", 24, 1, 24 * 7);
        var history = TimeSpan.FromDays(args.Int("history-days", 7, 0, 14));
        var outages = args.Int("outages", 3, 0, 20);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulation:MetricCadence"] = "CloudWatch",
            ["Simulation:History"] = history.ToString("c", CultureInfo.InvariantCulture),
            ["Telemetry:History"] = history.ToString("c", CultureInfo.InvariantCulture),
            ["Anomalies:MaxEndedEvents"] = "100000",
        }).Build();

        // Part one: a healthy day.
        await using (var world = HeadlessEstate.Create(configuration, new TwinSandbox(), seed))
        {
            var twin = world.Services.GetRequiredService<EstateTwin>();
            var monitor = world.Services.GetRequiredService<EstateMonitor>();
            var tracker = world.Services.GetRequiredService<AnomalyTracker>();
            var notHealthy = new Dictionary<string, int>(StringComparer.Ordinal);
            var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
            long requests = 0, metrics = 0, minutes = 0;
            var watch = Stopwatch.StartNew();
            var seconds = hours * 3600L;
            for (long s = 0; s < seconds; s++)
            {
                twin.Step();
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                var snapshot = await monitor.PollAsync();
                foreach (var r in snapshot.Regions.Where(r => r.Health != HealthStatus.Healthy))
                {
                    notHealthy[r.Code] = notHealthy.GetValueOrDefault(r.Code) + 1;
                    var reason = new string([.. $"{r.Health}: {r.Reasons.FirstOrDefault()}".Select(c => char.IsDigit(c) ? '#' : c)]);
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }

                // The measured cost, a minute at a time, once the history read at start is behind.
                if (s % 60 == 59 && s > 600)
                {
                    requests += snapshot.Polling!.RequestsLastMinute;
                    metrics += snapshot.Polling.MetricsLastMinute;
                    minutes++;
                }
            }

            watch.Stop();
            var events = tracker.All().ToList();
            var perSeries = events.GroupBy(e => e.SeriesKey).Select(g => g.Count()).DefaultIfEmpty(0).Max();
            var plan = monitor.Budget(world.Clock.GetUtcNow());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"healthy {hours} h at CloudWatch time (seed {seed}, {history.TotalDays:0} d of history): {monitor.Series.Length} series, simulated in {watch.Elapsed.TotalSeconds:0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  seconds a region was shown anything but Healthy: {notHealthy.Values.Sum()} {string.Join(", ", notHealthy.Select(kv => $"{kv.Key} {kv.Value}"))}"));
            foreach (var (reason, count) in reasons.OrderByDescending(kv => kv.Value).Take(6))
            {
                Console.WriteLine($"    {count,6}  {reason}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  anomaly events: {events.Count} over {monitor.Series.Length} series; most on one series: {perSeries} = {perSeries * 24.0 / hours:0.##} per series per day"));
            foreach (var g in events.GroupBy(e => e.Label + " " + e.Region).OrderByDescending(g => g.Count()).Take(6))
            {
                Console.WriteLine($"    {g.Count(),4}  {g.Key}");
                foreach (var e in g.Take(args.Flag("events") ? 20 : 0))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"          {e.Start:HH:mm}-{e.End:HH:mm} peak {e.PeakValue:0.###} expected {e.Expected:0.###} band {e.Lower:0.###}..{e.Upper:0.###} score {e.PeakScore:0.00}"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  GetMetricData: planned {plan.RequestsPerMinute:0.#} requests and {plan.MetricsPerMinute:0.#} metrics a minute (${plan.MonthlyUsd:N2} a month); measured {requests / (double)Math.Max(1, minutes):0.#} requests and {metrics / (double)Math.Max(1, minutes):0.#} metrics a minute"));
        }

        // Part two: outages, detected.
        for (var i = 0; i < outages; i++)
        {
            await using var world = HeadlessEstate.Create(configuration, new TwinSandbox(), seed + i);
            var twin = world.Services.GetRequiredService<EstateTwin>();
            var monitor = world.Services.GetRequiredService<EstateMonitor>();
            var warm = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(17 * i);
            for (var t = 0; t < warm.TotalSeconds; t++)
            {
                twin.Step();
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                await monitor.PollAsync();
            }

            var check = twin.Estate.HealthChecks.First(c => c.Region == "eu-west-1");
            var floor = TimeSpan.FromSeconds(check.RequestIntervalSeconds * check.FailureThreshold);
            var fault = twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"), "bench");
            TimeSpan? unhealthy = null, route53 = null, canary = null;
            for (var t = 0; t < 900 && (unhealthy is null || route53 is null); t++)
            {
                twin.Step();
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                var snapshot = await monitor.PollAsync();
                var west = snapshot.Region("eu-west-1")!;
                var since = snapshot.At - fault.StartsAt;
                unhealthy ??= west.Health == HealthStatus.Unhealthy ? since : null;
                route53 ??= west.CheckersHealthyPercent <= EstateTopology.Route53HealthyCheckerShare * 100 ? since : null;
                canary ??= west.CanaryLate || west.CanarySuccessRatio < 0.5 ? since : null;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"outage eu-west-1 (seed {seed + i}): shown Unhealthy after {Secs(unhealthy)}, canary failing after {Secs(canary)}, Route 53 unhealthy after {Secs(route53)}; Route 53's floor {floor.TotalSeconds:0} s ({check.RequestIntervalSeconds} s x {check.FailureThreshold})"));
        }

        return 0;

        static string Secs(TimeSpan? t) => t is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TotalSeconds:0} s") : "never (15 min)";
    }
}
