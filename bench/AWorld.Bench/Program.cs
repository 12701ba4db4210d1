using AWorld.Core.Engine;
using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Drills;
using AWorld.Bench.Evidence;
using AWorld.Bench.Anomalies;
using AWorld.Bench.Live;
using AWorld.Bench.Operations;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using AWorld.Core.Telemetry;

// Benchmarks of the estate twin and the telemetry core. Run in Release, pinned to one core:
//   taskset -c 0 dotnet run -c Release --project bench/AWorld.Bench -- twin-day
//   taskset -c 0 dotnet run -c Release --project bench/AWorld.Bench -- store-week
// The live console in process (Kestrel on loopback), on both cores: a browser per page, SignalR clients on the hub.
//   dotnet run -c Release --project bench/AWorld.Bench -- live-pages [--pages 50] [--seconds 60] [--warmup 10]
//   dotnet run -c Release --project bench/AWorld.Bench -- hub-fanout [--connections 2000] [--seconds 60] [--batch 100] [--warmup 5] [--full-payload]
// The operations engine on the console's SQLite stores and the twin, no web host: its own cost per operation, and
// failover time after an outage with the countermeasure ladder acting, against the physical floor.
//   dotnet run -c Release --project bench/AWorld.Bench -- ops-engine [--operations 200] [--seeds 5]
// Headless DR drills on the twin: the automatic region-outage drill's RTO against its physical floor (and, with
// --all, every scenario once), with wall time per drill.
//   dotnet run -c Release --project bench/AWorld.Bench -- drill-rto [--seeds 5] [--all] [--timeline] [--restore-timeout 360]
// A year of weekly drills exported as 52 chained, signed evidence packs, then all verified. Targets: < 5 s, < 2 s.
//   taskset -c 0 dotnet run -c Release --project bench/AWorld.Bench -- evidence-year [--drills 52] [--audit 500]
// The streaming anomaly detector over the whole NAB development set, one core (target: < 2 s for ~298,000 points).
//   taskset -c 0 dotnet run -c Release --project bench/AWorld.Bench -- anomaly-nab [--data DIR] [--repetitions 7]
// The detectors on every series of the twin for a simulated day with six faults: caught, minutes to detect, false alarms.
//   dotnet run -c Release --project bench/AWorld.Bench -- anomaly-twin [--seed 42]
// The console on CloudWatch's time: a healthy simulated day (moments not Healthy, anomaly events per series, measured
// GetMetricData requests and metrics a minute) and region outages detected against Route 53's floor.
//   dotnet run -c Release --project bench/AWorld.Bench -- cloudwatch-day [--hours 24] [--history-days 7] [--outages 3] [--seed 42]
var mode = args.FirstOrDefault() ?? "twin-day";
return mode switch
{
    "twin-day" => TwinDay(),
    "store-week" => await StoreWeek(),
    "live-pages" => await LivePages.RunAsync(new BenchArgs(args)),
    "hub-fanout" => await HubFanout.RunAsync(new BenchArgs(args)),
    "ops-engine" => await OpsBench.RunAsync(new BenchArgs(args)),
    "drill-rto" => await DrillBench.RunAsync(new BenchArgs(args)),
    "evidence-year" => await EvidenceYear.RunAsync(new BenchArgs(args)),
    "anomaly-nab" => AnomalyNabBench.Run(args),
    "anomaly-twin" => await AnomalyTwinBench.RunAsync(args),
    "cloudwatch-day" => await AWorld.Bench.Telemetry.CloudWatchDayBench.RunAsync(new BenchArgs(args)),
    "aws-poll" => await AWorld.Bench.Aws.AwsPollBench.RunAsync(new BenchArgs(args)),
    _ => Usage(),
};

// The per-second pipeline these benchmarks measure: the twin's Immediate cadence (cloudwatch-day measures CloudWatch time).
static IConfiguration Immediate() =>
    new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("Simulation:MetricCadence", "Immediate")]).Build();

static int Usage()
{
    Console.Error.WriteLine("usage: AWorld.Bench twin-day|store-week|live-pages [--pages N] [--seconds S]|hub-fanout [--connections N] [--seconds S]|ops-engine [--operations N] [--seeds N]|drill-rto [--seeds N] [--all] [--restore-timeout MIN]|evidence-year [--drills N] [--audit N]|anomaly-nab [--data DIR] [--repetitions N]|anomaly-twin [--seed N]|aws-poll [--polls N]|cloudwatch-day [--hours N] [--history-days N] [--outages N] [--seed N]");
    return 2;
}

// A simulated day of the default estate: the twin alone, then the twin with the console's pipeline (monitor
// polling every virtual second into the series store and publishing a snapshot). Target: 2,000x real time.
static int TwinDay()
{
    var day = TimeSpan.FromDays(1);
    var warm = new EstateTwin(EstateTopology.Default, new SimulationOptions { MetricCadence = MetricCadence.Immediate });
    warm.Run(TimeSpan.FromMinutes(10));

    var twin = new EstateTwin(EstateTopology.Default, new SimulationOptions { Seed = 42, MetricCadence = MetricCadence.Immediate });
    var watch = Stopwatch.StartNew();
    twin.Run(day);
    watch.Stop();
    Report("twin alone", day, watch.Elapsed);

    var (piped, polls) = Pipeline(day).GetAwaiter().GetResult();
    Report($"twin + monitor ({polls:N0} polls)", day, piped);
    return 0;
}

static async Task<(TimeSpan Elapsed, long Polls)> Pipeline(TimeSpan duration)
{
    await using var world = HeadlessEstate.Create(Immediate(), new TwinSandbox(), seed: 42);
    var twin = world.Services.GetRequiredService<EstateTwin>();
    var clock = world.Clock;
    var monitor = world.Services.GetRequiredService<EstateMonitor>();
    var seconds = (long)duration.TotalSeconds;
    var watch = Stopwatch.StartNew();
    for (long s = 0; s < seconds; s++)
    {
        twin.Step();
        clock.Advance(TimeSpan.FromSeconds(1));
        await monitor.PollAsync();
    }

    watch.Stop();
    return (watch.Elapsed, seconds);
}

// The series store's memory after a simulated week of the default estate fed through the monitor. Target: < 200 MB.
static async Task<int> StoreWeek()
{
    var week = TimeSpan.FromDays(7);
    var before = GC.GetTotalMemory(forceFullCollection: true);
    await using var world = HeadlessEstate.Create(Immediate(), new TwinSandbox(), seed: 42);
    var twin = world.Services.GetRequiredService<EstateTwin>();
    var clock = world.Clock;
    var store = world.Services.GetRequiredService<SeriesStore>();
    var monitor = world.Services.GetRequiredService<EstateMonitor>();
    var watch = Stopwatch.StartNew();
    for (long s = 0; s < week.TotalSeconds; s++)
    {
        twin.Step();
        clock.Advance(TimeSpan.FromSeconds(1));
        if (s % 5 == 0)
        {
            await monitor.PollAsync();
        }
    }

    watch.Stop();
    var after = GC.GetTotalMemory(forceFullCollection: true);
    var oldest = store.Read(MetricCatalog.SeriesKey("eu-west-1", EstateMetric.ApiRequests), twin.StartTime, twin.StartTime.AddHours(1));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"store-week: {store.Count} series, store allocation {store.AllocatedBytes / 1048576.0:0.0} MB, managed heap growth (twin + store + monitor) {(after - before) / 1048576.0:0.0} MB, process working set {Environment.WorkingSet / 1048576.0:0} MB; first hour still readable as {oldest.Count} quarter-hour points; simulated in {watch.Elapsed.TotalSeconds:0.0} s"));
    GC.KeepAlive(monitor);
    GC.KeepAlive(twin);
    return 0;
}

static void Report(string what, TimeSpan simulated, TimeSpan elapsed) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: simulated {simulated} in {elapsed.TotalSeconds:0.00} s = {simulated / elapsed:N0}x real time"));

internal static class TwinExtensions
{
    public static void Run(this EstateTwin twin, TimeSpan duration) => twin.AdvanceTo(twin.Now + duration);
}
