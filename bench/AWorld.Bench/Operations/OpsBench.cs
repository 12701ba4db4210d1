extern alias console;

using AWorld.Core.Engine;
using System.Diagnostics;
using System.Globalization;
using AWorld.Bench.Live;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Twin;
using AWorld.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ConsoleDbContext = console::AWorld.Console.Storage.ConsoleDbContext;
using EfAuditStore = console::AWorld.Console.Storage.EfAuditStore;
using EfOperationStore = console::AWorld.Console.Storage.EfOperationStore;

namespace AWorld.Bench.Operations;

/// <summary>
/// The operations engine in process, on the console's real SQLite stores and the twin, without the web host:
/// (1) the engine's own cost per operation (plan, checks, journal, audit), never the virtual waiting;
/// (2) end-to-end failover time in the twin after an outage, with the countermeasure ladder acting by itself,
/// next to the physical floor (health checks, TTL, sticky resolvers) and to the same run without the engine.
/// </summary>
internal static class OpsBench
{
    private const string Region = "eu-west-1";
    private const int MaxVirtualSecondsPerOperation = 1800;
    private const int MaxVirtualSecondsAfterFault = 3600;
    private const double RecoveredRatio = 0.99;

    private static readonly Actor Requester = new("olivia", RoleNames.Operator);
    private static readonly Actor Approver = new("martin", RoleNames.Approver);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var operations = args.Int("operations", 200, 1, 100_000);
        var seeds = args.Int("seeds", 5, 1, 100);
        Console.WriteLine($"ops-engine: {operations} operations (+5 warm-up), then {seeds} outage runs; GC server={System.Runtime.GCSettings.IsServerGC}; load average {Machine.LoadAverage()}");
        var failures = await OverheadAsync(operations);
        await FailoverAsync(seeds);
        return failures == 0 ? 0 : 1;
    }

    // Part 1: Failover and Failback of eu-west-1 alternately, timing only the engine's calls.
    private static async Task<int> OverheadAsync(int count)
    {
        using var world = new EngineWorld(42);
        await world.RunAsync(TimeSpan.FromMinutes(5), engine: false);

        const int warmup = 5;
        var samples = new List<OperationSample>();
        var failures = new List<string>();
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < warmup + count; i++)
        {
            var kind = i % 2 == 0 ? OperationKind.Failover : OperationKind.Failback;
            var (sample, failure) = await OneOperationAsync(world, kind, record: i >= warmup);
            if (i < warmup)
            {
                continue;
            }

            if (sample is not null)
            {
                samples.Add(sample);
            }

            if (failure is not null)
            {
                failures.Add($"#{i - warmup + 1} {kind}: {failure}");
                if (failure.StartsWith("still open", StringComparison.Ordinal))
                {
                    break; // it holds the one-at-a-time rule; the rest would be refused
                }
            }
        }

        wall.Stop();
        var done = samples.Where(s => s.Completed).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[1] engine overhead: {done.Count}/{count} operations completed ({done.Count(s => s.Kind == OperationKind.Failover)} failover, {done.Count(s => s.Kind == OperationKind.Failback)} failback) in {wall.Elapsed.TotalSeconds:0.0} s wall; SQLite in {Path.GetDirectoryName(world.DatabasePath)}"));
        Console.WriteLine("    per operation, engine time only (ms):        p50      p99     mean");
        Line("request (plan, checks, insert, audit)", done.Select(s => s.RequestMs));
        Line("approve (replan, checks, save, audit)", done.Select(s => s.ApproveMs));
        Line("execution (sum of executor ticks)", done.Select(s => s.ExecuteMs));
        Line("  failover execution", done.Where(s => s.Kind == OperationKind.Failover).Select(s => s.ExecuteMs));
        Line("  failback execution", done.Where(s => s.Kind == OperationKind.Failback).Select(s => s.ExecuteMs));
        Line("total", done.Select(s => s.RequestMs + s.ApproveMs + s.ExecuteMs));
        Line("one executor tick (all ticks)", done.SelectMany(s => s.TickMs));
        Line("  ticks that wrote (journal/state)", done.SelectMany(s => s.TickMs.Where((_, k) => s.TickWrote[k])));
        Line("  ticks that only waited", done.SelectMany(s => s.TickMs.Where((_, k) => !s.TickWrote[k])));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    per operation: journal lines {Range(done.Select(s => (double)s.JournalLines))}, audit entries {Range(done.Select(s => (double)s.AuditEntries))}, executor ticks {Range(done.Select(s => (double)s.Ticks))}, virtual duration failover {Range(done.Where(s => s.Kind == OperationKind.Failover).Select(s => s.VirtualSeconds))} s / failback {Range(done.Where(s => s.Kind == OperationKind.Failback).Select(s => s.VirtualSeconds))} s"));
        var verified = (await world.Audit.VerifyAsync()).Verified;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    totals: engine {done.Sum(s => s.RequestMs + s.ApproveMs + s.ExecuteMs) / 1000:0.00} s over {done.Sum(s => s.Ticks):N0} ticks, {done.Sum(s => s.JournalLines):N0} journal lines, {done.Sum(s => s.AuditEntries):N0} audit entries; audit chain verified: {verified}"));
        Console.WriteLine("    where execution time goes, store calls summed over all ticks (calls, ms per call, share of execution):");
        Console.WriteLine("      " + world.Calls.Summary(done.Sum(s => s.ExecuteMs)));
        Console.WriteLine(failures.Count == 0 ? "    failures: none" : $"    failures: {failures.Count}");
        foreach (var failure in failures.Take(5))
        {
            Console.WriteLine($"      {failure}");
        }

        return failures.Count;
    }

    private static async Task<(OperationSample? Sample, string? Failure)> OneOperationAsync(EngineWorld world, OperationKind kind, bool record)
    {
        var auditBefore = (await world.AuditStore.LastAsync())?.Sequence ?? 0;
        var t0 = Stopwatch.GetTimestamp();
        var requested = await world.Service.RequestAsync(new OperationRequest(kind, Region, "bench"), Requester);
        var requestMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (requested.Operation is not { } op || !requested.Succeeded)
        {
            await world.StepAsync();
            return (null, $"request refused: {requested.Failure?.Message}");
        }

        t0 = Stopwatch.GetTimestamp();
        var approved = await world.Service.ApproveAsync(op.Id, Approver, op.Plan.Hash, false);
        var approveMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (!approved.Succeeded)
        {
            await world.Service.RejectAsync(op.Id, Approver, "bench: approval was refused");
            await world.StepAsync();
            return (null, $"approval refused: {approved.Failure?.Message}");
        }

        var ticks = new List<double>();
        var wrote = new List<bool>();
        var started = world.Clock.GetUtcNow();
        Operation current = approved.Operation!;
        while (true)
        {
            world.Calls.Recording = record;
            t0 = Stopwatch.GetTimestamp();
            await world.Executor.TickAsync();
            ticks.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            world.Calls.Recording = false;

            var after = await world.Service.GetAsync(op.Id) ?? throw new InvalidOperationException($"{op.Id} vanished from the store.");
            wrote.Add(after.Version != current.Version);
            current = after;
            if (!current.IsOpen)
            {
                break;
            }

            if (world.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(MaxVirtualSecondsPerOperation))
            {
                return (null, $"still open ({current.State}, step {current.NextStep + 1}) after {MaxVirtualSecondsPerOperation} virtual seconds");
            }

            await world.StepAsync();
        }

        var auditAfter = (await world.AuditStore.LastAsync())?.Sequence ?? 0;
        var sample = new OperationSample(
            kind, current.State == OperationState.Completed, requestMs, approveMs, ticks.Sum(), ticks, wrote, current.Journal.Length,
            (int)(auditAfter - auditBefore), ((current.FinishedAt ?? world.Clock.GetUtcNow()) - current.RequestedAt).TotalSeconds);
        return (sample, sample.Completed ? null : $"{current.State}: {current.Outcome}");
    }

    // Part 2: an outage of eu-west-1, the countermeasure ladder on, and the same seed with the engine off.
    private static async Task FailoverAsync(int seeds)
    {
        var options = new OperationsOptions();
        var estate = EstateTopology.Default;
        var check = estate.HealthCheckFor(Region);
        var sim = new SimulationOptions();
        var ttl = estate.Dns.TtlSeconds;
        var sticky = ttl * sim.StickyResolverTtlMultiple;
        var detectionWorst = check.RequestIntervalSeconds * (check.FailureThreshold + 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[2] outage of {Region} after 5 virtual min; RTO = fault → first second with clients' success >= {RecoveredRatio:P0} (twin truth); times in virtual s after the fault"));
        Console.WriteLine("    seed  R53 unhealthy  signals agree  requested  approved  INSYNC  completed   RTO  RTO w/o engine  ops (state)");
        var runs = new List<(FailoverRun Engine, FailoverRun Control)>();
        for (var s = 0; s < seeds; s++)
        {
            var seed = 42 + s;
            var withEngine = await OutageAsync(seed, engine: true);
            var control = await OutageAsync(seed, engine: false);
            runs.Add((withEngine, control));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {seed,4}  {S(withEngine.Route53Unhealthy),13}  {S(withEngine.SignalsAgree),13}  {S(withEngine.Requested),9}  {S(withEngine.Approved),8}  {S(withEngine.InSync),6}  {S(withEngine.Completed),9}  {S(withEngine.Rto),4}  {S(control.Rto),14}  {withEngine.Operations}"));
            foreach (var note in withEngine.Notes.Concat(control.Notes.Select(n => "without engine: " + n)))
            {
                Console.WriteLine($"          ! {note}");
            }
        }

        var rtos = runs.Where(r => r.Engine.Rto is not null).Select(r => r.Engine.Rto!.Value).ToList();
        var controls = runs.Where(r => r.Control.Rto is not null).Select(r => r.Control.Rto!.Value).ToList();
        var detections = runs.Where(r => r.Engine.Route53Unhealthy is not null).Select(r => r.Engine.Route53Unhealthy!.Value).ToList();
        var drains = runs.Where(r => r.Engine.Rto is not null && r.Engine.Route53Unhealthy is not null).Select(r => r.Engine.Rto!.Value - r.Engine.Route53Unhealthy!.Value).ToList();
        var decisions = runs.Where(r => r.Engine.Requested is not null && r.Engine.SignalsAgree is not null).Select(r => r.Engine.Requested!.Value - r.Engine.SignalsAgree!.Value).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    mean RTO {Mean(rtos):0} s with engine ({rtos.Count}/{seeds} recovered), {Mean(controls):0} s without the engine (Route 53 health-based routing alone)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    floor model: detection {check.RequestIntervalSeconds} s x ({check.FailureThreshold} + 1) = {detectionWorst} s worst (measured {Mean(detections):0} s) + TTL {ttl} s + sticky {sim.StickyResolverShare:P0} of resolvers x {sticky:0} s = {detectionWorst + ttl + sticky:0} s worst; with measured detection {Mean(detections) + ttl + sticky:0} s; measured drain (R53 unhealthy → 99%) {Mean(drains):0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    engine on top: AutoFailoverAfter {options.AutoFailoverAfter.TotalSeconds:0} s + twin DNS propagation {sim.DnsChangePropagation.TotalSeconds:0} s = {(options.AutoFailoverAfter + sim.DnsChangePropagation).TotalSeconds:0} s modelled; measured signals agree → requested {Mean(decisions):0} s; RTO with − without engine {Mean(rtos) - Mean(controls):+0;-0;0} s"));
    }

    private static async Task<FailoverRun> OutageAsync(int seed, bool engine)
    {
        using var world = new EngineWorld(seed);
        await world.RunAsync(TimeSpan.FromMinutes(5), engine);
        var faultAt = world.Clock.GetUtcNow();
        world.Twin.Inject(new FaultSpec(FaultKind.Outage, Region));
        var threshold = new TelemetryOptions().Thresholds.ErrorRateUnhealthy;
        double? route53Unhealthy = null, agree = null, rto = null;
        var dropped = false;
        var notes = new List<string>();
        for (var s = 0; s < MaxVirtualSecondsAfterFault; s++)
        {
            var snapshot = await world.TickAsync(engine);
            var since = (world.Clock.GetUtcNow() - faultAt).TotalSeconds;
            var truth = world.Twin.Truth();
            if (!truth.Regions.Single(r => r.Code == Region).Route53Healthy)
            {
                route53Unhealthy ??= since;
            }

            var seen = snapshot.Region(Region);
            if (seen is { CheckersHealthyPercent: <= 18 } && (seen.IsStale || seen.ErrorRate5xx >= threshold))
            {
                agree ??= since;
            }

            var ratio = truth.Clients.LastSecondSuccessRatio;
            if (ratio < RecoveredRatio)
            {
                if (rto is not null && notes.Count == 0)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"success fell again to {ratio:P1} at +{since:0} s after recovering at +{rto:0} s"));
                }

                dropped = true;
            }
            else if (dropped)
            {
                rto ??= since;
            }

            if (rto is not null && (!engine || (await world.Service.RecentAsync()) is { Count: > 0 } ops && !ops.Any(o => o.IsOpen)))
            {
                break;
            }
        }

        if (rto is null)
        {
            notes.Add($"clients' success not back to {RecoveredRatio:P0} within {MaxVirtualSecondsAfterFault} virtual s");
        }

        var all = await world.Service.RecentAsync();
        var failover = all.Where(o => o.Request.Kind == OperationKind.Failover && o.Request.From == Region).OrderBy(o => o.RequestedAt).FirstOrDefault();
        double? At(DateTimeOffset? t) => t is { } v ? (v - faultAt).TotalSeconds : null;
        var inSync = failover?.Journal.FirstOrDefault(j => j.Status == StepStatus.Succeeded && failover.Plan.Steps[j.Index].Action == StepAction.AwaitDnsInSync)?.At;
        if (engine && failover is not null && failover.RequestedBy != Actor.System.Name)
        {
            notes.Add($"failover requested by {failover.RequestedBy}, not {Actor.System.Name}");
        }

        if (engine && failover is { State: not OperationState.Completed })
        {
            notes.Add($"{failover.Id} ended {failover.State}: {failover.Outcome ?? failover.Request.Reason}");
        }

        var summary = engine
            ? string.Join(", ", all.OrderBy(o => o.RequestedAt).Select(o => $"{o.Request.Kind} by {o.RequestedBy} ({o.State})"))
            : "-";
        return new FailoverRun(route53Unhealthy, agree, At(failover?.RequestedAt), At(failover?.ApprovedAt), At(inSync), At(failover?.FinishedAt), rto, summary, notes);
    }

    private static void Line(string what, IEnumerable<double> values)
    {
        var list = values.ToList();
        var delays = new Delays(list);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {what,-44} {delays.Percentile(50),8:0.000} {delays.Percentile(99),8:0.000} {Mean(list),8:0.000}   (n={list.Count:N0})"));
    }

    private static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{list.Min():0}-{list.Max():0} (mean {list.Average():0.0})");
    }

    private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();

    private static string S(double? seconds) => seconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "-";

    private sealed record OperationSample(
        OperationKind Kind,
        bool Completed,
        double RequestMs,
        double ApproveMs,
        double ExecuteMs,
        IReadOnlyList<double> TickMs,
        IReadOnlyList<bool> TickWrote,
        int JournalLines,
        int AuditEntries,
        double VirtualSeconds)
    {
        public int Ticks => TickMs.Count;
    }

    private sealed record FailoverRun(
        double? Route53Unhealthy,
        double? SignalsAgree,
        double? Requested,
        double? Approved,
        double? InSync,
        double? Completed,
        double? Rto,
        string Operations,
        IReadOnlyList<string> Notes);
}

/// <summary>
/// One world: the twin on a manual clock, the monitor, and the operations engine on the console's SQLite stores in
/// a temporary file that is deleted on dispose.
/// </summary>
internal sealed class EngineWorld : IDisposable
{
    private readonly HeadlessEstate _world;

    public EngineWorld(long seed)
    {
        DatabasePath = Path.Combine(Path.GetTempPath(), $"aworld-opsbench-{Guid.NewGuid():N}.db");
        var contexts = new SqliteContextFactory(DatabasePath);
        using (var db = contexts.CreateDbContext())
        {
            db.Database.Migrate();
        }

        // The console's engine from its own registration, on a manual clock, over the console's SQLite stores (timed).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Operations:Cooldown"] = "00:00:00", ["Simulation:MetricCadence"] = "Immediate" }).Build();
        AuditStore = new TimedAuditStore(new EfAuditStore(contexts), Calls);
        var operations = new TimedOperationStore(new EfOperationStore(contexts), Calls);
        _world = HeadlessEstate.Create(configuration, new TwinSandbox(), seed, configure: services =>
        {
            services.AddSingleton<IOperationStore>(operations);
            services.AddSingleton(AuditStore);
        });
        Twin = _world.Services.GetRequiredService<EstateTwin>();
        Clock = _world.Clock;
        Monitor = _world.Services.GetRequiredService<EstateMonitor>();
        Audit = _world.Services.GetRequiredService<AuditLog>();
        Service = _world.Services.GetRequiredService<OperationService>();
        Executor = _world.Services.GetRequiredService<OperationExecutor>();
        Policy = _world.Services.GetRequiredService<CountermeasurePolicy>();
    }

    public string DatabasePath { get; }

    public EstateTwin Twin { get; }

    public VirtualClock Clock { get; }

    public EstateMonitor Monitor { get; }

    /// <summary>Time spent in the stores while <see cref="CallTimer.Recording"/> is on.</summary>
    public CallTimer Calls { get; } = new();

    public IAuditStore AuditStore { get; }

    public AuditLog Audit { get; }

    public OperationService Service { get; }

    public OperationExecutor Executor { get; }

    public CountermeasurePolicy Policy { get; }

    /// <summary>One virtual second of the world: the clock, the twin, a poll.</summary>
    public async Task<EstateSnapshot> StepAsync()
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        Twin.AdvanceTo(Clock.GetUtcNow());
        return await Monitor.PollAsync();
    }

    /// <summary>One second as the console's driver runs it: step and poll, then the ladder and the executor.</summary>
    public async Task<EstateSnapshot> TickAsync(bool engine)
    {
        var snapshot = await StepAsync();
        if (engine)
        {
            await Policy.EvaluateAsync(snapshot);
            await Executor.TickAsync();
        }

        return snapshot;
    }

    public async Task RunAsync(TimeSpan duration, bool engine)
    {
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            await TickAsync(engine);
        }
    }

    public void Dispose()
    {
        _world.DisposeAsync().AsTask().GetAwaiter().GetResult();

        // SQLite pools connections; release the file before deleting it.
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", DatabasePath + "-journal" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"could not delete {path}: {ex.Message}");
            }
        }
    }

    private sealed class SqliteContextFactory(string path) : IDbContextFactory<ConsoleDbContext>
    {
        private readonly DbContextOptions<ConsoleDbContext> _options =
            new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite($"Data Source={path}").Options;

        public ConsoleDbContext CreateDbContext() => new(_options);
    }
}

/// <summary>Sums the time of the store calls made while <see cref="Recording"/> is on.</summary>
internal sealed class CallTimer
{
    private readonly Dictionary<string, (long Calls, double Ms)> _byName = new(StringComparer.Ordinal);

    public bool Recording { get; set; }

    public async Task<T> TimeAsync<T>(string name, Func<Task<T>> call)
    {
        if (!Recording)
        {
            return await call();
        }

        var t0 = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var (calls, ms) = _byName.GetValueOrDefault(name);
            _byName[name] = (calls + 1, ms + Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
    }

    public async Task TimeAsync(string name, Func<Task> call) => await TimeAsync(name, async () =>
    {
        await call();
        return 0;
    });

    public string Summary(double totalMs)
    {
        var parts = _byName.OrderByDescending(kv => kv.Value.Ms)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value.Calls:N0} x {kv.Value.Ms / kv.Value.Calls:0.00} = {kv.Value.Ms / totalMs:P0}"));
        var rest = totalMs - _byName.Values.Sum(v => v.Ms);
        return string.Join("; ", parts) + string.Create(CultureInfo.InvariantCulture, $"; rest (rules, plan, JSON, twin) {rest / totalMs:P0}");
    }
}

internal sealed class TimedOperationStore(IOperationStore inner, CallTimer timer) : IOperationStore
{
    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.Add", () => inner.AddAsync(operation, cancellationToken));

    public Task<Operation> SaveAsync(Operation operation, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.Save", () => inner.SaveAsync(operation, cancellationToken));

    public Task<Operation?> GetAsync(string id, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.Get", () => inner.GetAsync(id, cancellationToken));

    public Task<IReadOnlyList<Operation>> ListAsync(int count, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.List", () => inner.ListAsync(count, cancellationToken));

    public Task<IReadOnlyList<Operation>> OpenAsync(CancellationToken cancellationToken) =>
        timer.TimeAsync("op.Open", () => inner.OpenAsync(cancellationToken));

    public Task<DateTimeOffset?> LastTrafficMoveAsync(CancellationToken cancellationToken) =>
        timer.TimeAsync("op.LastTrafficMove", () => inner.LastTrafficMoveAsync(cancellationToken));

    public Task<long?> AcquireLeaseAsync(string operationId, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.AcquireLease", () => inner.AcquireLeaseAsync(operationId, now, ttl, cancellationToken));

    public Task ReleaseLeaseAsync(string operationId, CancellationToken cancellationToken) =>
        timer.TimeAsync("op.ReleaseLease", () => inner.ReleaseLeaseAsync(operationId, cancellationToken));
}

internal sealed class TimedAuditStore(IAuditStore inner, CallTimer timer) : IAuditStore
{
    public Task<AuditEntry?> LastAsync(CancellationToken cancellationToken = default) =>
        timer.TimeAsync("audit.Last", () => inner.LastAsync(cancellationToken));

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        timer.TimeAsync("audit.Append", () => inner.AppendAsync(entry, cancellationToken));

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        timer.TimeAsync("audit.Read", () => inner.ReadAsync(fromSequence, count, cancellationToken));
}
