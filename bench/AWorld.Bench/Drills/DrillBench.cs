using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Live;
using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Bench.Drills;

/// <summary>
/// Headless drills on the twin: (1) the automatic region-outage drill over several seeds, its measured detection,
/// decision, execution, RTO and RPO next to the physical floor (Route 53 detection + DNS TTL + sticky resolvers'
/// extra hold) and the engine's own overhead (decision → router change); (2) with --all, every scenario once.
/// Wall time per drill is printed too (run in Release).
/// </summary>
internal static class DrillBench
{
    private const string Region = "eu-west-1";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var seeds = args.Int("seeds", 5, 1, 100);
        var timeline = args.Flag("timeline");
        var estate = EstateTopology.Default;
        var sim = new SimulationOptions();
        var check = estate.HealthCheckFor(Region);
        var ttl = estate.Dns.TtlSeconds;
        var stickyExtra = ttl * (sim.StickyResolverTtlMultiple - 1);
        // The executor's step timeout (default 20 min) is shorter than the twin's restore of the 40 GB table (8 min + 45 s/GB).
        var restoreTimeout = args.Int("restore-timeout", 360, 1, 2880);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulation:MetricCadence"] = "Immediate",
            ["Operations:RestoreTimeout"] = TimeSpan.FromMinutes(restoreTimeout).ToString("c", CultureInfo.InvariantCulture),
        }).Build();
        var runner = new ServiceCollection().AddAWorldCore(configuration).AddTwinEstate(configuration).BuildServiceProvider().GetRequiredService<DrillRunner>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drill-rto: automatic region-outage drill of {Region}, {seeds} seeds; health check {check.RequestIntervalSeconds} s x threshold {check.FailureThreshold}, TTL {ttl} s, {sim.StickyResolverShare:P0} sticky resolvers hold {sim.StickyResolverTtlMultiple}x TTL; load average {Machine.LoadAverage()}"));
        Console.WriteLine("    times in virtual s after the fault");
        Console.WriteLine("    floor = Route 53 detection + TTL + sticky resolvers' extra hold (worst case); control = the same seed and fault on the twin alone (Route 53 health routing, no engine)");
        Console.WriteLine("    seed  R53 down  detected  decided  router  recovered(RTO)  floor  control  RTO-control  engine(dec->router)  decision tick ms  RPO s  lost canaries/twin writes  passed  wall ms");
        var failures = 0;
        var rows = new List<(double Rto, double Floor, double Control, double Engine, double TickMs, double WallMs)>();
        for (var i = 0; i < seeds; i++)
        {
            var seed = 42 + i;
            DateTimeOffset? route53Down = null;
            var plan = new DrillPlan(DrillScenario.RegionOutage, Region, ResponsePolicy.Automatic, Seed: seed);
            var tickMs = new Dictionary<DateTimeOffset, double>();
            var lastTick = Stopwatch.GetTimestamp();
            var watch = Stopwatch.StartNew();
            var result = await runner.RunAsync(plan, new DrillRunSettings(OnSecond: truth =>
            {
                // Wall time of the whole virtual second (twin, poll, ladder, executor) that ended at truth.At.
                tickMs[truth.At] = Stopwatch.GetElapsedTime(lastTick).TotalMilliseconds;
                lastTick = Stopwatch.GetTimestamp();
                if (route53Down is null && !truth.Regions.First(r => r.Code == Region).Route53Healthy && truth.Regions.First(r => r.Code == Region).Down)
                {
                    route53Down = truth.At;
                }
            }));
            watch.Stop();
            if (result.Value is not { } outcome)
            {
                Console.WriteLine($"    {seed,4}  could not run: {result.Failure?.Message}");
                failures++;
                continue;
            }

            var m = outcome.Measurements;
            var start = m.FaultStart!.Value;
            double? At(DateTimeOffset? t) => t is { } v ? (v - start).TotalSeconds : null;
            var r53 = At(route53Down);
            double? floor = r53 is { } d ? d + ttl + stickyExtra : null;
            double? engine = m.RouterChangedAt is { } rc && m.DecidedAt is { } dc ? (rc - dc).TotalSeconds : null;
            var rto = m.Rto?.TotalSeconds;
            var control = ControlRto(estate, sim, seed, plan.EffectiveWarmup);
            double? decisionTick = m.DecidedAt is { } decided && tickMs.TryGetValue(decided, out var ms) ? ms : null;
            if (!outcome.Report.Passed)
            {
                failures++;
            }

            if (rto is { } x && floor is { } f && engine is { } e && control is { } c && decisionTick is { } dt)
            {
                rows.Add((x, f, c, e, dt, watch.Elapsed.TotalMilliseconds));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {seed,4}  {S(r53),8}  {S(At(m.DetectedAt)),8}  {S(At(m.DecidedAt)),7}  {S(At(m.RouterChangedAt)),6}  {S(rto),14}  {S(floor),5}  {S(control),7}  {S(rto - control),11}  {S(engine),19}  {decisionTick,16:0.00}  {m.Rpo.TotalSeconds,5:0.0}  {m.CanariesLost,12}/{m.WritesLost,-12}  {outcome.Report.Passed,6}  {watch.Elapsed.TotalMilliseconds,7:0}"));
        }

        if (rows.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    mean RTO {rows.Average(r => r.Rto):0.0} s; worst-case floor {rows.Average(r => r.Floor):0.0} s (R53 detection + TTL {ttl} s + sticky extra {stickyExtra:0} s); control (twin alone) {rows.Average(r => r.Control):0.0} s; RTO - control {rows.Average(r => r.Rto - r.Control):+0.0;-0.0;0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    engine: decision -> router change max {rows.Max(r => r.Engine):0.0} virtual s (same tick); that whole tick took at most {rows.Max(r => r.TickMs):0.00} ms wall; a drill took {rows.Average(r => r.WallMs):0} ms wall on average ({rows.Min(r => r.WallMs):0}-{rows.Max(r => r.WallMs):0})"));
        }

        if (args.Flag("all"))
        {
            Console.WriteLine("every scenario once (seed 42), times in virtual s after the fault:");
            Console.WriteLine("    scenario              policy     detected  decided  approved  recovered(RTO)  RPO s   passed  virtual min  wall ms  verdict");
            foreach (var definition in DrillScenarios.All)
            {
                foreach (var policy in definition.NeedsPeople ? [ResponsePolicy.Human] : new[] { ResponsePolicy.Automatic, ResponsePolicy.Human })
                {
                    var watch = Stopwatch.StartNew();
                    var result = await runner.RunAsync(new DrillPlan(definition.Scenario, Region, policy, Seed: 42));
                    watch.Stop();
                    if (result.Value is not { } outcome)
                    {
                        Console.WriteLine($"    {definition.Name,-21} {policy,-9}  could not run: {result.Failure?.Message}");
                        failures++;
                        continue;
                    }

                    var m = outcome.Measurements;
                    var start = m.FaultStart!.Value;
                    double? At(DateTimeOffset? t) => t is { } v ? (v - start).TotalSeconds : null;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {definition.Name,-21} {policy,-9}  {S(At(m.DetectedAt)),8}  {S(At(m.DecidedAt)),7}  {S(At(m.FirstApprovalAt)),8}  {S(m.Rto?.TotalSeconds),14}  {m.Rpo.TotalSeconds,5:0.0}  {outcome.Report.Passed,6}  {(outcome.Report.EndedAt - outcome.Report.StartedAt).TotalMinutes,11:0.0}  {watch.Elapsed.TotalMilliseconds,7:0}  {outcome.Report.Verdict}"));
                    foreach (var deviation in outcome.Report.Deviations)
                    {
                        Console.WriteLine($"          ! {deviation}");
                    }

                    if (timeline)
                    {
                        foreach (var e in outcome.Report.Timeline)
                        {
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"          {(e.At - start).TotalSeconds,7:0} {e.Kind,-12} {e.Actor,-22} {e.Description}"));
                        }
                    }
                }
            }
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>The same seed and outage on the twin alone: recovery comes from Route 53 health routing and client caches only.</summary>
    private static double? ControlRto(EstateTopology estate, SimulationOptions sim, long seed, TimeSpan warmup)
    {
        var twin = new EstateTwin(estate, sim, seed: seed);
        twin.AdvanceTo(twin.StartTime + warmup);
        var start = twin.Now;
        twin.Inject(new FaultSpec(FaultKind.Outage, Region, Duration: TimeSpan.FromMinutes(30)));
        DateTimeOffset? goodSince = null;
        for (var s = 0; s < 3600; s++)
        {
            twin.Step();
            var truth = twin.Truth();
            var second = truth.At - TimeSpan.FromSeconds(1);
            if (truth.Clients.LastSecondSuccessRatio >= DrillObserver.RecoveredRatio)
            {
                goodSince ??= second;
                if (second - goodSince.Value >= DrillObserver.RecoveryWindow)
                {
                    return (goodSince.Value - start).TotalSeconds;
                }
            }
            else
            {
                goodSince = null;
            }
        }

        return null;
    }

    private static string S(double? seconds) => seconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "-";
}
