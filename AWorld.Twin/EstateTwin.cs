using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// The estate twin: regions with their services, Route 53 health checking, DNS clients, global-table replication,
/// PITR and faults, advanced in whole seconds of virtual time. For a given seed, topology and sequence of calls
/// it is fully deterministic. It implements the estate's ports, so the console, the operations engine and drills
/// drive it exactly as they will drive AWS.
/// </summary>
/// <remarks>
/// A region whose bad deploy wrote corrupt items answers <see cref="CorruptReadErrorRate"/> of its requests with 5xx
/// (its application fails on the items it cannot read) for as long as the table it uses holds corrupt items; other
/// regions run the previous version, which skips them.
/// Its CloudWatch serves as <see cref="SimulationOptions.MetricCadence"/> says: every second at once (the default), or
/// with AWS's resolutions, delays, revisions and retention tiers, optionally with <see cref="SimulationOptions.History"/>
/// before the start. Each region's canary publishes its writes' success (0 while the region fails) and latency every second.
/// Thread-safe: every public member takes one lock. Virtual time moves only through <see cref="Step"/> and
/// <see cref="AdvanceTo"/>; the engine's estate loop calls the latter with the estate clock's present.
/// </remarks>
public sealed partial class EstateTwin : ITelemetrySource, IHealthSource, ITrafficRouter, IGlobalTableAdmin, IFaultInjector, ITrafficObserver, IClientThrottler, IRegionScaler, ITableRouting, IGroundTruth, ISimulatedEstate
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
    private readonly int[] _clientSentSlots;
    private readonly int[] _stormTenantSlots;
    private readonly int[] _stormMultiplierSlots;
    private readonly int _successSlot;
    private readonly List<long[]>[] _canariesAtFailure;
    private readonly bool[] _down;
    private readonly long[] _writes;
    private readonly double[] _latencyP50;
    private readonly Dictionary<(string Table, string Region), string> _activeTables = [];
    private readonly Dictionary<(string Table, string Region), long> _corruptAfterCutover = [];
    private readonly bool[] _deployedBad;
    private long _second;
    private double _requestsSent;
    private double _requestsFailed;
    private double _lastSecondSuccess = 1;

    /// <summary>The twin the estate registration makes: configured by <c>Simulation</c>, starting at the estate clock's present.</summary>
    public EstateTwin(EstateTopology estate, IOptions<SimulationOptions> options, [FromKeyedServices(EstateClock.Key)] TimeProvider clock)
        : this(estate, options.Value, clock.GetUtcNow())
    {
    }

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
        _metrics = new MetricRecorder(estate, StartTime, ClientMetricSlots(estate), options.MetricCadence, Seed);
        _models = estate.Regions.Select(r => new RegionModel(r.Index, r.Code, options, new SimRandom(Seed, 100 + (ulong)r.Index), _metrics, Seed)).ToArray();

        _replicationSlots = new int[_replication.ChannelCount];
        for (var c = 0; c < _replicationSlots.Length; c++)
        {
            var (table, source, destination) = _replication.ChannelKey(c);
            _replicationSlots[c] = _metrics.Slot(MetricCatalog.SeriesKey(estate.Regions[source].Code, EstateMetric.DynamoReplicationLatency, estate.Tables[table].Name, estate.Regions[destination].Code));
        }

        _healthStatusSlots = estate.Regions.Select(r => _metrics.Slot(MetricCatalog.SeriesKey(r.Code, EstateMetric.Route53HealthCheckStatus))).ToArray();
        _healthPercentSlots = estate.Regions.Select(r => _metrics.Slot(MetricCatalog.SeriesKey(r.Code, EstateMetric.Route53PercentageHealthy))).ToArray();
        _clientSentSlots = estate.Regions.Select(r => _metrics.Slot($"{r.Code}/ClientsSent")).ToArray();
        _stormTenantSlots = estate.Regions.Select(r => _metrics.Slot($"{r.Code}/StormTenant")).ToArray();
        _stormMultiplierSlots = estate.Regions.Select(r => _metrics.Slot($"{r.Code}/StormMultiplier")).ToArray();
        _successSlot = _metrics.Slot("ClientsSuccess");
        DeriveClientMetrics();
        _canariesAtFailure = estate.Regions.Select(_ => new List<long[]>()).ToArray();
        _down = new bool[estate.Regions.Length];
        _deployedBad = new bool[estate.Regions.Length];
        _writes = new long[estate.Regions.Length];
        _latencyP50 = Enumerable.Repeat(30.0, estate.Regions.Length).ToArray();
        if (options.MetricCadence == MetricCadence.CloudWatch && options.History > TimeSpan.Zero)
        {
            FillHistory(options.History);
        }
    }

    /// <summary>Share of requests that fail in a region whose bad deploy left corrupt items in the table it uses.</summary>
    public const double CorruptReadErrorRate = 0.05;

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

    /// <summary>Simulates every whole second up to <paramref name="at"/>; earlier times are ignored.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        lock (_gate)
        {
            var target = (long)Math.Floor((at - StartTime).TotalSeconds);
            while (_second < target)
            {
                StepCore();
            }
        }
    }

    Task<EstateTruth> IGroundTruth.ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Truth());

    Task<RestoredTableTruth?> IGroundTruth.RestoredTableAsync(string tableName, string region, CancellationToken cancellationToken) =>
        Task.FromResult(RestoreTruth(tableName, region));

    /// <summary>What really happens in the twin, for tests, drills and the simulation summary (AWS has no such view).</summary>
    public EstateTruth Truth()
    {
        lock (_gate)
        {
            var n = Estate.Regions.Length;
            var regions = new RegionTruth[n];
            var now = _second;
            for (var r = 0; r < n; r++)
            {
                var (writes, age) = _replication.Unreplicated(r, now);
                regions[r] = new RegionTruth(
                    Estate.Regions[r].Code,
                    _dns.Share[r],
                    _dns.Weight(r),
                    _route53.Healthy[r],
                    _route53.PercentHealthy[r],
                    _down[r],
                    writes,
                    TimeSpan.FromSeconds(age));
            }

            var pairs = new List<PairTruth>();
            for (var s = 0; s < n; s++)
            {
                for (var d = 0; d < n; d++)
                {
                    var lag = _replication.PairLagMs[s, d];
                    if (s != d && !double.IsNaN(lag))
                    {
                        pairs.Add(new PairTruth(Estate.Regions[s].Code, Estate.Regions[d].Code, lag, _down[s]));
                    }
                }
            }

            return new EstateTruth(
                StartTime.AddSeconds(_second),
                regions,
                pairs,
                new WriteTotals(_replication.Acknowledged, _replication.Replicated, _replication.Lost, _replication.Pending),
                new ClientTruth((long)Math.Round(_requestsSent), (long)Math.Round(_requestsFailed), _lastSecondSuccess),
                CanaryTruth(),
                TableTruth());
        }
    }

    /// <summary>The ground truth of a table created by a PITR restore, or null when there is none of that name in the region.</summary>
    public RestoredTableTruth? RestoreTruth(string tableName, string region)
    {
        lock (_gate)
        {
            if (_tables.Restored(tableName, region) is not { } job)
            {
                return null;
            }

            var t = TableIndex(job.Source);
            var expected = t < 0 ? 0 : _replication.AcknowledgedUpTo(t, (long)Math.Floor((job.PointInTime - StartTime).TotalSeconds)).Items;
            var after = _corruptAfterCutover.GetValueOrDefault((tableName, region));
            return new RestoredTableTruth(tableName, region, job.Source, job.PointInTime, Now >= job.ReadyAt, job.Items, job.CorruptItems, after, expected);
        }
    }

    private CanaryTruth CanaryTruth()
    {
        var n = Estate.Regions.Length;
        var regions = new CanaryRegionTruth[n];
        var pairs = new List<CanaryPairTruth>();
        for (var r = 0; r < n; r++)
        {
            var (sequence, ack) = _replication.LastCanary(r);
            var table = _replication.CanaryTable(r);
            regions[r] = new CanaryRegionTruth(Estate.Regions[r].Code, table < 0 ? "" : Estate.Tables[table].Name, sequence,
                double.IsNaN(ack) ? null : StartTime.AddSeconds(ack), _replication.CanariesLost(r));
            for (var d = 0; d < n; d++)
            {
                if (d != r && table >= 0 && Estate.Tables[table].Replicas.Contains(Estate.Regions[d].Code))
                {
                    pairs.Add(new CanaryPairTruth(Estate.Regions[r].Code, Estate.Regions[d].Code, _replication.CanaryReceived(r, d)));
                }
            }
        }

        return new CanaryTruth(regions, pairs);
    }

    private List<TableTruth> TableTruth()
    {
        var tables = new List<TableTruth>(Estate.Tables.Length);
        for (var t = 0; t < Estate.Tables.Length; t++)
        {
            var table = Estate.Tables[t];
            var first = _replication.FirstCorruptAckSeconds[t];
            var active = table.Replicas
                .Select(code => new ActiveTableTruth(code, ActiveTable(table.Name, code), CorruptHeld(t, table.Name, code)))
                .ToList();
            tables.Add(new TableTruth(table.Name, _replication.AcknowledgedUpTo(t, _second).Items, _replication.CorruptWrites(t),
                double.IsNaN(first) ? null : StartTime.AddSeconds(first), active));
        }

        return tables;
    }

    private int TableIndex(string name)
    {
        for (var t = 0; t < Estate.Tables.Length; t++)
        {
            if (Estate.Tables[t].Name == name)
            {
                return t;
            }
        }

        return -1;
    }

    private string ActiveTable(string table, string region) => _activeTables.TryGetValue((table, region), out var physical) ? physical : table;

    /// <summary>Corrupt items in the table the region's application uses for <paramref name="table"/>.</summary>
    private long CorruptHeld(int table, string tableName, string region)
    {
        var physical = ActiveTable(tableName, region);
        return physical == tableName
            ? _replication.CorruptWrites(table)
            : (_tables.Restored(physical, region)?.CorruptItems ?? 0) + _corruptAfterCutover.GetValueOrDefault((physical, region));
    }

    /// <summary>
    /// Where the region's canary writer is: the sequence its next canary will carry, and how many times the region has
    /// failed so far. A write acknowledged in the region now travels with that canary (<see cref="CanaryArrived"/>).
    /// </summary>
    internal (long NextSequence, int Failures) CanaryCursor(string region)
    {
        lock (_gate)
        {
            var r = Estate.Region(region).Index;
            return (_replication.LastCanary(r).Sequence + 1, _canariesAtFailure[r].Count);
        }
    }

    /// <summary>
    /// Whether canary <paramref name="sequence"/> of <paramref name="from"/>, written before its region's failure number
    /// <paramref name="failures"/> + 1, has reached <paramref name="to"/>: it did if it arrived before that failure, and
    /// never does after it (a failure loses what had not left the region).
    /// </summary>
    internal bool CanaryArrived(string from, string to, long sequence, int failures)
    {
        lock (_gate)
        {
            var s = Estate.Region(from).Index;
            var d = Estate.Region(to).Index;
            return failures < _canariesAtFailure[s].Count
                ? _canariesAtFailure[s][failures][d] >= sequence
                : _replication.CanaryReceived(s, d) >= sequence;
        }
    }

    /// <summary>Whether the region is down now (its services answer nothing).</summary>
    internal bool IsRegionDown(string region)
    {
        lock (_gate)
        {
            return IsDown(region);
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
                _canariesAtFailure[r].Add(Enumerable.Range(0, _down.Length).Select(d => _replication.CanaryReceived(r, d)).ToArray());
                _replication.RegionFailed(r);
            }

            _down[r] = _faults.Outage[r];
            _deployedBad[r] |= _faults.CorruptShare[r] > 0;
            var canaryTable = _replication.CanaryTable(r);
            if (_deployedBad[r] && canaryTable >= 0 && CorruptHeld(canaryTable, Estate.Tables[canaryTable].Name, Estate.Regions[r].Code) > 0)
            {
                _faults.ErrorRate[r] = Math.Min(1, _faults.ErrorRate[r] + CorruptReadErrorRate);
            }
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
            if (!_down[r])
            {
                _metrics.Set(s, _clientSentSlots[r], regionSent);
                _metrics.Set(s, _stormTenantSlots[r], RegionModel.StormingTenant(_faults, r));
                _metrics.Set(s, _stormMultiplierSlots[r], _faults.StormMultiplier[r]);
            }
        }

        _requestsSent += sent;
        _requestsFailed += failed;
        _lastSecondSuccess = sent > 0 ? 1 - (failed / sent) : 1;
        _metrics.Set(s, _successSlot, _lastSecondSuccess);

        var corruptBefore = Estate.Tables.Select((_, t) => _replication.CorruptWrites(t)).ToArray();
        _replication.Step(s, _writes, _down, _faults.Partitioned, _faults.CorruptShare);
        for (var r = 0; r < _down.Length; r++)
        {
            // Corrupt writes after a cutover land in the restored table the deploying region now uses.
            var t = _replication.CanaryTable(r);
            if (_faults.CorruptShare[r] > 0 && t >= 0 && ActiveTable(Estate.Tables[t].Name, Estate.Regions[r].Code) is var physical && physical != Estate.Tables[t].Name)
            {
                var key = (physical, Estate.Regions[r].Code);
                _corruptAfterCutover[key] = _corruptAfterCutover.GetValueOrDefault(key) + (_replication.CorruptWrites(t) - corruptBefore[t]);
            }
        }

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

    private static List<string> ClientMetricSlots(EstateTopology estate) =>
    [
        .. estate.Regions.SelectMany(r => new[] { $"{r.Code}/ClientsSent", $"{r.Code}/StormTenant", $"{r.Code}/StormMultiplier" }),
        "ClientsSuccess",
    ];

    /// <summary>Each client's requests per region and the clients' success, derived from what each second recorded.</summary>
    private void DeriveClientMetrics()
    {
        for (var r = 0; r < Estate.Regions.Length; r++)
        {
            var region = Estate.Regions[r].Code;
            var (sent, storming, multiplier) = (_clientSentSlots[r], _stormTenantSlots[r], _stormMultiplierSlots[r]);
            foreach (var client in ClientMetrics.Clients)
            {
                var tenant = RegionModel.TenantNumber(client);
                var metric = new MetricStat(ClientMetrics.Namespace, ClientMetrics.Requests,
                    [new MetricDimension(ClientMetrics.ClientDimension, client), new MetricDimension(ClientMetrics.RegionDimension, region)], 1, "Sum");
                _metrics.Derive(region, metric, s => RegionModel.ClientRequests(tenant, _metrics.Get(s, sent), (int)_metrics.Get(s, storming), _metrics.Get(s, multiplier)));
            }
        }

        var success = _successSlot;
        _metrics.Derive(ClientMetrics.SuccessRegion, new MetricStat(ClientMetrics.Namespace, ClientMetrics.SuccessRatio, [], 1, "Average"), s => _metrics.Get(s, success));
    }

    /// <summary>
    /// CloudWatch's past before the start: whole minutes of a healthy estate, computed from the load model's daily and
    /// weekly curve with the traffic split the DNS clients start with, and noise hashed from the seed. The demand's slow
    /// noise is the live one's AR(1) sampled per minute and run backwards from the start, where the live noise starts at
    /// 0, so the history meets the live minutes without a jump. A start inside a minute gets that minute's seconds before
    /// it from history too, so its first minute is whole. Draws nothing from the simulation's random streams.
    /// </summary>
    private void FillHistory(TimeSpan history)
    {
        const ulong NoiseSalt = 0x4150;
        const ulong LagSalt = 0x4160;
        var startMinute = Math.DivRem(StartTime.ToUnixTimeSeconds(), 60, out var into) - (into < 0 ? 1 : 0);
        into = ((into % 60) + 60) % 60;
        var minutes = (long)Math.Ceiling(history.TotalMinutes);
        var first = startMinute - minutes;

        // The demand noise's minute means: an AR(1) over minutes with their spread and persistence.
        var demand = MinuteNoise.OfAr1(LoadModel.NoisePersistence, LoadModel.NoiseInnovation);
        var noise = new float[minutes];
        var n = 0.0;
        for (var k = minutes - 1; k >= 0; k--)
        {
            n = (demand.Persistence * n) + (demand.Innovation * SimHash.Normal(Seed, NoiseSalt, first + k));
            noise[k] = (float)n;
        }

        foreach (var model in _models)
        {
            model.PrepareHistory(first, minutes);
        }

        // Each region's share wanders as clients re-resolve: minute means around the steady share, back to the start's.
        const ulong ShareSalt = 0x4170;
        var shares = _dns.Share.ToArray();
        var steady = _dns.SteadyShares();
        var shareNoise = new float[shares.Length][];
        for (var r = 0; r < shares.Length; r++)
        {
            var p = steady[r];
            var (variance, next) = MinuteNoise.BlockMoments(k => _dns.ShareAutocovariance(p, k), 60);
            var persistence = variance > 0 ? next / variance : 0;
            var innovation = Math.Sqrt(variance * (1 - (persistence * persistence)));
            shareNoise[r] = new float[minutes];
            var x = shares[r] - p;
            for (var k = minutes - 1; k >= 0; k--)
            {
                x = (persistence * x) + (innovation * SimHash.Normal(Seed, ShareSalt, first + k, r));
                shareNoise[r][k] = (float)Math.Clamp(p + x, 0, 1);
            }
        }

        var row = new MetricAggregate[_metrics.Series.Length];
        var (lagMean, lagSd) = ReplicationDelayMoments(_options.ReplicationMedianDelayMs);
        var lagLow = Math.Max(80, _options.ReplicationMedianDelayMs * Math.Exp(-0.35 * 2.4));
        var lagHigh = Math.Min(980, _options.ReplicationMedianDelayMs * Math.Exp(0.35 * 2.4));
        for (var k = 0L; k < minutes; k++)
        {
            HistoryRow(first + k, noise[k] + (demand.WithinVariance / 2), r => shareNoise[r][k]);
            _metrics.WriteMinute(first + k, row);
        }

        if (into > 0)
        {
            HistoryRow(startMinute, 0, r => shares[r]);
            _metrics.SetStartMinuteHistory(row, (int)into);
        }

        foreach (var model in _models)
        {
            model.EndHistory();
        }

        void HistoryRow(long minute, double demandNoise, Func<int, double> share)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds((minute * 60) + 30);
            var rps = LoadModel.Baseline(_options, at) * Math.Exp(demandNoise);
            var hour = at.UtcDateTime.TimeOfDay.TotalHours;
            for (var r = 0; r < _models.Length; r++)
            {
                _models[r].HistoryMinute(minute, hour, rps * share(r), row);
            }

            // Each second's replication delay is drawn afresh: a minute's mean spreads as an independent draw's over √60.
            foreach (var slot in _replicationSlots)
            {
                var value = lagMean + (lagSd / Math.Sqrt(60) * SimHash.Normal(Seed, LagSalt, slot, minute));
                row[slot] = new MetricAggregate { Sum = (float)(value * 60), Min = (float)Math.Min(value, lagLow), Max = (float)Math.Max(value, lagHigh), Count = 60 };
            }

            for (var r = 0; r < _healthStatusSlots.Length; r++)
            {
                row[_healthStatusSlots[r]] = new MetricAggregate { Sum = 60, Min = 1, Max = 1, Count = 60 };
                row[_healthPercentSlots[r]] = new MetricAggregate { Sum = 6000, Min = 100, Max = 100, Count = 60 };
            }
        }
    }

    /// <summary>Mean and standard deviation (ms) of one second's replication delay: lognormal around the median, clamped as <see cref="ReplicationTwin"/> does.</summary>
    private static (double Mean, double Sd) ReplicationDelayMoments(double medianMs)
    {
        double weight = 0, sum = 0, squares = 0;
        for (var z = -8.0; z <= 8.0; z += 0.01)
        {
            var w = Math.Exp(-z * z / 2);
            var delay = Math.Clamp(medianMs * Math.Exp(0.35 * z), 80, 980);
            weight += w;
            sum += w * delay;
            squares += w * delay * delay;
        }

        var mean = sum / weight;
        return (mean, Math.Sqrt(Math.Max(0, (squares / weight) - (mean * mean))));
    }

    /// <summary>Bytes the twin's CloudWatch holds per store (1-second ring, minute, 5-minute and hourly tiers).</summary>
    internal (long Seconds, long Minutes, long FiveMinutes, long Hours) MetricMemory
    {
        get
        {
            lock (_gate)
            {
                return _metrics.AllocatedBytes;
            }
        }
    }

    /// <summary>The twin's CloudWatch store, for tests of its tiers (not thread-safe: only while nothing steps the twin).</summary>
    internal MetricRecorder MetricStore => _metrics;

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);
}
