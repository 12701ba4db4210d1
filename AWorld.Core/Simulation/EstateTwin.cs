using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Simulation;

/// <summary>
/// The estate twin: regions with their services, Route 53 health checking, DNS clients, global-table replication,
/// PITR and faults, advanced in whole seconds of virtual time. For a given seed, topology and sequence of calls
/// it is fully deterministic. It implements the estate's ports, so the console, the operations engine and drills
/// drive it exactly as they will drive AWS.
/// </summary>
/// <remarks>
/// Thread-safe: every public member takes one lock. Virtual time moves only through <see cref="Step"/> and
/// <see cref="AdvanceTo"/>; <see cref="RunOn"/> ties it to a <see cref="TimeProvider"/> (real, accelerated or fake).
/// </remarks>
public sealed partial class EstateTwin : ITelemetrySource, IHealthSource, ITrafficRouter, IGlobalTableAdmin, IFaultInjector, ITrafficObserver, IClientThrottler, IRegionScaler, ITableRouting
{
    private readonly Lock _gate = new();
    private readonly SimulationOptions _options;
    private readonly FaultBook _faults;
    private readonly LoadModel _load;
    private readonly DnsTwin _dns;
    private readonly Route53Twin _route53;
    private readonly RegionModel[] _models;
    private readonly ReplicationTwin _replication;
    private readonly TableTwin _tables;
    private readonly MetricRecorder _metrics;
    private readonly int[] _replicationSlots;
    private readonly int[] _healthStatusSlots;
    private readonly int[] _healthPercentSlots;
    private readonly bool[] _down;
    private readonly long[] _writes;
    private readonly double[] _latencyP50;
    private readonly Dictionary<(string Table, string Region), string> _activeTables = [];
    private long _second;
    private double _requestsSent;
    private double _requestsFailed;
    private double _lastSecondSuccess = 1;

    /// <param name="estate">The topology to simulate.</param>
    /// <param name="options">The twin's knobs.</param>
    /// <param name="startTime">Virtual time at the start; defaults to <see cref="SimulationOptions.StartTime"/>.</param>
    /// <param name="seed">Overrides <see cref="SimulationOptions.Seed"/>.</param>
    public EstateTwin(EstateTopology estate, SimulationOptions options, DateTimeOffset? startTime = null, long? seed = null)
    {
        Estate = estate;
        _options = options;
        StartTime = TruncateToSecond(startTime ?? options.StartTime);
        Seed = seed ?? options.Seed;
        _faults = new FaultBook(estate);
        _load = new LoadModel(options, new SimRandom(Seed, 1));
        _dns = new DnsTwin(estate, options, new SimRandom(Seed, 2));
        _route53 = new Route53Twin(estate, new SimRandom(Seed, 3));
        _replication = new ReplicationTwin(estate, options, new SimRandom(Seed, 4));
        _tables = new TableTwin(estate, StartTime);
        _metrics = new MetricRecorder(estate, StartTime);
        _models = estate.Regions.Select(r => new RegionModel(r.Index, r.Code, options, new SimRandom(Seed, 100 + (ulong)r.Index), _metrics)).ToArray();

        _replicationSlots = new int[_replication.ChannelCount];
        for (var c = 0; c < _replicationSlots.Length; c++)
        {
            var (table, source, destination) = _replication.ChannelKey(c);
            _replicationSlots[c] = _metrics.Slot(MetricCatalog.SeriesKey(estate.Regions[source].Code, EstateMetric.DynamoReplicationLatency, estate.Tables[table].Name, estate.Regions[destination].Code));
        }

        _healthStatusSlots = estate.Regions.Select(r => _metrics.Slot(MetricCatalog.SeriesKey(r.Code, EstateMetric.Route53HealthCheckStatus))).ToArray();
        _healthPercentSlots = estate.Regions.Select(r => _metrics.Slot(MetricCatalog.SeriesKey(r.Code, EstateMetric.Route53PercentageHealthy))).ToArray();
        _down = new bool[estate.Regions.Length];
        _writes = new long[estate.Regions.Length];
        _latencyP50 = Enumerable.Repeat(30.0, estate.Regions.Length).ToArray();
    }

    public EstateTopology Estate { get; }

    public long Seed { get; }

    public DateTimeOffset StartTime { get; }

    /// <summary>Virtual time up to which the twin has been simulated.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return StartTime.AddSeconds(_second);
            }
        }
    }

    /// <summary>Advances virtual time by one second.</summary>
    public void Step()
    {
        lock (_gate)
        {
            StepCore();
        }
    }

    /// <summary>Simulates every whole second up to <paramref name="time"/>; earlier times are ignored.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        lock (_gate)
        {
            var target = (long)Math.Floor((time - StartTime).TotalSeconds);
            while (_second < target)
            {
                StepCore();
            }
        }
    }

    /// <summary>
    /// Keeps the twin at <paramref name="time"/>'s present: a timer on that provider advances it every
    /// <paramref name="tick"/> (virtual time). Dispose the result to stop. With a <c>FakeTimeProvider</c>, each
    /// <c>Advance</c> moves the twin along; nothing sleeps.
    /// </summary>
    public IDisposable RunOn(TimeProvider time, TimeSpan? tick = null)
    {
        var period = tick ?? TimeSpan.FromSeconds(1);
        return time.CreateTimer(_ => AdvanceTo(time.GetUtcNow()), null, period, period);
    }

    /// <summary>What really happens in the twin, for tests, drills and the simulation summary (AWS has no such view).</summary>
    public TwinTruth Truth()
    {
        lock (_gate)
        {
            var n = Estate.Regions.Length;
            var regions = new TwinRegionTruth[n];
            var now = _second;
            for (var r = 0; r < n; r++)
            {
                var (writes, age) = _replication.Unreplicated(r, now);
                regions[r] = new TwinRegionTruth(
                    Estate.Regions[r].Code,
                    _dns.Share[r],
                    _dns.Weight(r),
                    _route53.Healthy[r],
                    _route53.PercentHealthy[r],
                    _down[r],
                    writes,
                    TimeSpan.FromSeconds(age));
            }

            var pairs = new List<TwinPairTruth>();
            for (var s = 0; s < n; s++)
            {
                for (var d = 0; d < n; d++)
                {
                    var lag = _replication.PairLagMs[s, d];
                    if (s != d && !double.IsNaN(lag))
                    {
                        pairs.Add(new TwinPairTruth(Estate.Regions[s].Code, Estate.Regions[d].Code, lag, _down[s]));
                    }
                }
            }

            return new TwinTruth(
                StartTime.AddSeconds(_second),
                regions,
                pairs,
                new TwinWrites(_replication.Acknowledged, _replication.Replicated, _replication.Lost, _replication.Pending),
                new TwinClients((long)Math.Round(_requestsSent), (long)Math.Round(_requestsFailed), _lastSecondSuccess));
        }
    }

    /// <summary>Each Route 53 checker's view of the region's endpoint; for tests of the 18% rule.</summary>
    internal bool[] CheckerViews(string region)
    {
        lock (_gate)
        {
            return _route53.CheckerViews(Estate.Region(region).Index);
        }
    }

    private void StepCore()
    {
        var s = _second;
        var at = StartTime.AddSeconds(s);
        _faults.Evaluate(at);
        for (var r = 0; r < _down.Length; r++)
        {
            if (_faults.Outage[r] && !_down[r])
            {
                _replication.RegionFailed(r);
            }

            _down[r] = _faults.Outage[r];
        }

        _route53.Step(s, at, _faults, _latencyP50);
        _dns.Step(s, at, _route53.Healthy);
        _metrics.BeginSecond(s);

        var demand = _load.RequestsPerSecond(at);
        var hour = at.UtcDateTime.TimeOfDay.TotalHours;
        double sent = 0, failed = 0;
        for (var r = 0; r < _models.Length; r++)
        {
            var regionSent = demand * _dns.Share[r];
            var (regionFailed, writes) = _models[r].Step(s, hour, regionSent, _faults, _metrics);
            _writes[r] = writes;
            _latencyP50[r] = _models[r].LatencyP50Ms;
            sent += regionSent;
            failed += regionFailed;
        }

        _requestsSent += sent;
        _requestsFailed += failed;
        _lastSecondSuccess = sent > 0 ? 1 - (failed / sent) : 1;

        _replication.Step(s, _writes, _down, _faults.Partitioned);
        for (var c = 0; c < _replicationSlots.Length; c++)
        {
            var source = _replication.ChannelKey(c).Source;
            if (!_down[source] && !double.IsNaN(_replication.ChannelLagMs(c)))
            {
                _metrics.Set(s, _replicationSlots[c], _replication.ChannelLagMs(c));
            }
        }

        for (var r = 0; r < _healthStatusSlots.Length; r++)
        {
            _metrics.Set(s, _healthStatusSlots[r], _route53.Healthy[r] ? 1 : 0);
            _metrics.Set(s, _healthPercentSlots[r], _route53.PercentHealthy[r]);
        }

        _second = s + 1;
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);
}

/// <summary>The twin's ground truth at one moment.</summary>
public sealed record TwinTruth(DateTimeOffset At, IReadOnlyList<TwinRegionTruth> Regions, IReadOnlyList<TwinPairTruth> Pairs, TwinWrites Writes, TwinClients Clients);

/// <summary>
/// One region's truth: the share of client traffic sent to it (whether or not it answers), its record weight,
/// Route 53's overall view, whether it is down, and its writes that no other region has yet.
/// </summary>
public sealed record TwinRegionTruth(string Code, double TrafficShare, int Weight, bool Route53Healthy, double Route53PercentHealthy, bool Down, long UnreplicatedWrites, TimeSpan OldestUnreplicatedAge);

public sealed record TwinPairTruth(string From, string To, double LagMs, bool SourceDown);

/// <summary>Write totals: acknowledged = replicated (reached another region) + lost + pending.</summary>
public sealed record TwinWrites(long Acknowledged, long Replicated, long Lost, long Pending);

/// <summary>Requests clients sent, those that failed, and the success ratio of the last second.</summary>
public sealed record TwinClients(long Requests, long Failed, double LastSecondSuccessRatio);
