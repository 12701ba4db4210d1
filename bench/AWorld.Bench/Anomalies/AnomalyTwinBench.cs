using AWorld.Core.Engine;
using System.Diagnostics;
using System.Globalization;
using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using AWorld.Core.Telemetry;

namespace AWorld.Bench.Anomalies;

/// <summary>
/// The anomaly detectors on the twin: a simulated day of the default estate through the console's pipeline (monitor
/// and tracker, every series) with six faults injected at known times. For each fault: whether an anomaly event
/// opened on the affected region while it lasted, and how many minutes after it began. Events that start outside
/// every fault (plus 30 minutes of recovery) are false alarms, reported per series per simulated day.
/// </summary>
internal static class AnomalyTwinBench
{
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = args.SkipWhile(a => a != "--seed").Skip(1).Select(a => long.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(42);
        var day = TimeSpan.FromDays(1);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulation:MetricCadence"] = "Immediate",
            ["Anomalies:MaxEndedEvents"] = "100000",
            ["Anomalies:RecentWindow"] = "00:01:00",
        }).Build();
        await using var world = HeadlessEstate.Create(configuration, new TwinSandbox(), seed);
        var twin = world.Services.GetRequiredService<EstateTwin>();
        var clock = world.Clock;
        var tracker = world.Services.GetRequiredService<AnomalyTracker>();
        var monitor = world.Services.GetRequiredService<EstateMonitor>();
        var faults = new[]
        {
            new FaultSpec(FaultKind.Latency, "eu-west-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromHours(3)),
            new FaultSpec(FaultKind.Errors, "eu-central-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromHours(6)),
            new FaultSpec(FaultKind.Throttle, "eu-west-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromHours(9), Client: "tenant-03"),
            new FaultSpec(FaultKind.Outage, "eu-central-1", Duration: TimeSpan.FromMinutes(20), Delay: TimeSpan.FromHours(12)),
            new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromHours(15)),
            new FaultSpec(FaultKind.Flap, "eu-north-1", Duration: TimeSpan.FromMinutes(15), Delay: TimeSpan.FromHours(18)),
        };
        var injected = faults.Select(f => twin.Inject(f, "bench")).ToList();
        var watch = Stopwatch.StartNew();
        for (long s = 0; s < day.TotalSeconds; s++)
        {
            twin.Step();
            clock.Advance(TimeSpan.FromSeconds(1));
            await monitor.PollAsync();
        }

        watch.Stop();
        var events = tracker.All().OrderBy(e => e.Start).ToList();
        var learnedAt = twin.StartTime.AddSeconds(tracker.Options.Detector.LearningPoints);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulated {day} with {monitor.Series.Length} series in {watch.Elapsed.TotalSeconds:0.0} s; {events.Count} anomaly events"));
        Console.WriteLine("fault                                   caught  after (min)  first event");
        foreach (var fault in injected)
        {
            var regions = new[] { fault.Spec.Region, fault.Spec.PeerRegion }.OfType<string>().ToHashSet(StringComparer.Ordinal);
            var first = events.FirstOrDefault(e => regions.Contains(e.Region) && e.Start >= fault.StartsAt && e.Start <= fault.EndsAt);
            var name = $"{fault.Spec.Kind.ToString().ToLowerInvariant()} {fault.Spec.Region}{(fault.Spec.PeerRegion is { } p ? "-" + p : "")} at {fault.StartsAt - twin.StartTime:hh\\:mm}";
            Console.WriteLine(first is null
                ? $"{name,-40}no"
                : string.Create(CultureInfo.InvariantCulture, $"{name,-40}yes     {(first.Start - fault.StartsAt).TotalMinutes,8:0.0}     {first.Label} in {first.Region}"));
        }

        var falseAlarms = events.Where(e => e.Start >= learnedAt && !injected.Any(f => e.Start >= f.StartsAt && e.Start <= f.EndsAt!.Value + Recovery)).ToList();
        var hours = (twin.StartTime + day - learnedAt).TotalHours;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"false alarms: {falseAlarms.Count} events outside the faults (+{Recovery.TotalMinutes:0} min) over {hours:0.0} h after learning = {falseAlarms.Count / (double)monitor.Series.Length * 24 / hours:0.000} per series per simulated day"));
        foreach (var g in falseAlarms.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).Take(8))
        {
            Console.WriteLine($"  {g.Count(),4}  {g.Key}");
        }

        return 0;
    }
}
