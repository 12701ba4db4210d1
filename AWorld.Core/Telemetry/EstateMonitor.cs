using System.Collections.Immutable;
using AWorld.Core.Anomalies;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Telemetry;

/// <summary>
/// Polls the estate's ports at CloudWatch's own time, writes what they report into the <see cref="SeriesStore"/>,
/// judges each region and publishes an <see cref="EstateSnapshot"/> to the <see cref="EstateStateStream"/>. Views
/// never poll the sources; they read the store and the stream. A source that fails leaves its data to age and be
/// marked stale; the rest of the snapshot still updates.
/// </summary>
/// <remarks>
/// <para>Each series is read once per its period, aligned: AWS's one-minute metrics at each minute (the new minutes
/// and, again, those still within the source's <see cref="MetricTiming.StandardDelay"/>, which CloudWatch may still revise), the
/// canaries' one-second metrics every <see cref="TelemetryOptions.HighResolutionPollInterval"/>; the first read
/// reaches back <see cref="TelemetryOptions.History"/>. Late and revised points update the store in place; a detector
/// scores each point once, when it is complete. Health is judged from the newest complete minutes, with Route 53's
/// per-checker observations and the canaries as the fast signals; a missing minute counts only once it is overdue.</para>
/// </remarks>
/// <remarks>Not thread-safe: one loop calls <see cref="PollAsync"/>.</remarks>
public sealed class EstateMonitor
{
    private readonly EstateTopology _estate;
    private readonly ITelemetrySource _telemetry;
    private readonly IHealthSource _health;
    private readonly IGlobalTableAdmin _tables;
    private readonly IFaultInjector? _faults;
    private readonly AnomalyTracker? _anomalies;
    private readonly SeriesStore _store;
    private readonly EstateStateStream _stream;
    private readonly TimeProvider _time;
    private readonly TelemetryOptions _options;
    private readonly MetricTiming _timing;
    private readonly TimeSpan _healthWindow;
    private readonly QueryGroup[] _groups;
    private readonly Dictionary<string, SeriesDefinition> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueryGroup> _groupOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Region, string Checker, string Ip), CheckerView> _checkers = [];
    private readonly Dictionary<(int From, int To), SeriesDefinition[]> _lagSeries;

    /// <summary>A minute's read waits this long after the minute begins, so that the minute before has had its chance.</summary>
    private static readonly TimeSpan ReadOffset = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, ImmutableArray<HealthCheckObservation>> _observations = [];
    private readonly Dictionary<(string Table, string Region), PitrWindow> _pitr = [];
    private readonly Dictionary<(string Table, string Region), DateTimeOffset> _pitrReadAt = [];
    private readonly Dictionary<string, DateTimeOffset> _fed = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, int Metrics)> _calls = new();
    private DateTimeOffset _nextObservations = DateTimeOffset.MinValue;
    private DateTimeOffset _nextBackups = DateTimeOffset.MinValue;
    private ImmutableArray<ActiveFault> _activeFaults = [];
    private DateTimeOffset? _started;
    private long _sequence;

    public EstateMonitor(
        EstateTopology estate,
        ITelemetrySource telemetry,
        IHealthSource health,
        IGlobalTableAdmin tables,
        SeriesStore store,
        EstateStateStream stream,
        [FromKeyedServices(EstateClock.Key)] TimeProvider time,
        IOptions<TelemetryOptions> options,
        IFaultInjector? faults = null,
        AnomalyTracker? anomalies = null)
    {
        _estate = estate;
        _telemetry = telemetry;
        _health = health;
        _tables = tables;
        _faults = faults;
        _anomalies = anomalies;
        _store = store;
        _stream = stream;
        _time = time;
        _options = options.Value;
        _timing = telemetry.Timing;
        _healthWindow = Max(_options.HealthWindow, TimeSpan.FromSeconds(2 * _timing.StandardPeriodSeconds));
        Series = MetricCatalog.SeriesFor(estate, _timing);
        foreach (var series in Series)
        {
            store.Register(series.Key);
            anomalies?.Register(series);
            _byKey[series.Key] = series;
        }

        _groups = [.. ReadGroup.Plan(estate, _timing, _options).Select(g => new QueryGroup(g))];
        foreach (var group in _groups)
        {
            foreach (var series in group.Series)
            {
                _groupOf[series.Key] = group;
            }
        }

        _lagSeries = Series
            .Where(s => s.Descriptor.Metric == EstateMetric.DynamoReplicationLatency)
            .GroupBy(s => (estate.Region(s.Region).Index, estate.Region(s.ReceivingRegion!).Index))
            .ToDictionary(g => g.Key, g => g.ToArray());
    }

    public ImmutableArray<SeriesDefinition> Series { get; }

    /// <summary>What reading the estate costs: requests and metrics a minute by plan and as measured, and the sources' state.</summary>
    public PollingBudget Budget(DateTimeOffset now)
    {
        var minute = now - TimeSpan.FromMinutes(1);
        while (_calls.Count > 0 && _calls.Peek().At <= minute)
        {
            _calls.Dequeue();
        }

        return PollingBudget.Plan(_groups.Select(g => g.Plan), _calls.Count, _calls.Sum(c => c.Metrics),
            [.. _groups.Select(g => new SourceStatus(g.Region, g.Period, g.Series.Length, g.LastRead, g.Error))]);
    }

    public async Task<EstateSnapshot> PollAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        _started ??= now;
        foreach (var group in _groups.Where(g => now >= g.NextRead))
        {
            await PollMetricsAsync(group, now, cancellationToken);
        }

        FeedDetectors(now);

        if (now >= _nextObservations)
        {
            _nextObservations = now + _options.HealthObservationInterval;
            await PollObservationsAsync(cancellationToken);
        }

        if (now >= _nextBackups)
        {
            _nextBackups = now + _options.BackupsInterval;
            await PollBackupsAsync(now, cancellationToken);
        }

        if (_faults is not null)
        {
            try
            {
                _activeFaults = [.. await _faults.ListAsync(cancellationToken)];
            }
            catch (EstateServiceException)
            {
                // The fault service (FIS) does not answer: keep the faults as last read; the rest of the poll goes on.
            }
        }

        var snapshot = Build(now);
        _stream.Publish(snapshot);
        return snapshot;
    }

    /// <summary>
    /// Reads a group's series: the first time <see cref="TelemetryOptions.History"/> back, then the periods still open to
    /// revision and the new ones, up to the last period that has begun. Every point returned is written in place.
    /// </summary>
    private async Task PollMetricsAsync(QueryGroup group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(group.Period);
        var end = Floor(now, group.Period) + period;
        // CloudWatch keeps one-second data for three hours; one-minute data reaches back further.
        var history = group.Period < 60 ? Min(_options.History, TimeSpan.FromHours(3)) : _options.History;
        var start = group.LastRead is null
            ? Floor(now - history, group.Period)
            : Floor(now - group.Delay - (2 * period), group.Period);
        group.NextRead = NextRead(group, now);
        try
        {
            var response = await _telemetry.GetMetricDataAsync(new GetMetricDataRequest(group.Region, start, end, group.Queries), cancellationToken);
            _calls.Enqueue((now, group.Queries.Length));
            foreach (var result in response.Results)
            {
                var key = group.Series[int.Parse(result.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)].Key;
                for (var i = 0; i < result.Timestamps.Length; i++)
                {
                    _store.Upsert(key, result.Timestamps[i], result.Values[i]);
                }
            }

            group.LastRead = now;
            group.Error = null;
        }
        catch (EstateServiceException ex)
        {
            group.Error = ex.Message;
            // Try again soon rather than a period later: a source that failed once is often back at the next step.
            group.NextRead = now + Min(period, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Minute series are read at each minute's start plus a few seconds; faster ones on their own interval.</summary>
    private static DateTimeOffset NextRead(QueryGroup group, DateTimeOffset now) =>
        group.Period >= 60 ? Floor(now, group.Period) + TimeSpan.FromSeconds(group.Period) + ReadOffset : now + group.Every;

    private TimeSpan DelayOf(SeriesDefinition series) => _timing.DelayOf(series.Descriptor);

    /// <summary>
    /// How late a series' next point is: it is due once its period has ended, the source's delay has passed and the
    /// monitor's next read has come round; null while nothing is due yet (no point so far and the first not due).
    /// </summary>
    private TimeSpan? Overdue(SeriesDefinition series, DateTimeOffset now)
    {
        var period = TimeSpan.FromSeconds(series.Stat.PeriodSeconds);
        var group = _groupOf[series.Key];
        var every = group.Every + (group.Period >= 60 ? ReadOffset : TimeSpan.Zero);
        if (_store.Latest(series.Key) is { } latest)
        {
            return Clamp(now - (latest.At + (2 * period) + DelayOf(series) + every));
        }

        // Nothing read yet: due once the first period could have arrived, or at once if reading it fails.
        var failing = group.Error is not null;
        var due = (_started ?? now) + (failing ? TimeSpan.Zero : period + DelayOf(series) + every);
        return now > due ? now - due : null;
    }

    /// <summary>
    /// Feeds each series' detector the points that are complete (their period over and the delay passed), each once and
    /// in time order, so that a revision never makes a detector score a minute twice.
    /// </summary>
    private void FeedDetectors(DateTimeOffset now)
    {
        if (_anomalies is null)
        {
            return;
        }

        foreach (var series in Series)
        {
            var fed = _fed.GetValueOrDefault(series.Key, DateTimeOffset.MinValue);
            var scored = ScoredPeriod(series);
            if (scored == series.Stat.PeriodSeconds)
            {
                var complete = now - DelayOf(series) - TimeSpan.FromSeconds(series.Stat.PeriodSeconds);
                if (complete <= fed)
                {
                    continue;
                }

                foreach (var point in _store.ReadRaw(series.Key, fed, complete))
                {
                    _anomalies.Observe(series.Key, point.At, point.Value);
                    fed = point.At;
                }

                _fed[series.Key] = fed;
                continue;
            }

            // A one-second series on a minute source (the canaries on CloudWatch): its detector scores the mean of each
            // complete minute, as it does every other series, not 60 noisy seconds.
            var end = Floor(now - DelayOf(series), scored);
            var last = end - TimeSpan.FromSeconds(series.Stat.PeriodSeconds);
            if (last <= fed)
            {
                continue;
            }

            foreach (var minute in _store.ReadRaw(series.Key, fed, last).GroupBy(p => Floor(p.At, scored)))
            {
                _anomalies.Observe(series.Key, minute.Key, minute.Average(p => p.Value));
            }

            _fed[series.Key] = last;
        }
    }

    /// <summary>The period a series' detector scores: its own, or the source's standard period when that is longer.</summary>
    private int ScoredPeriod(SeriesDefinition series) => Math.Max(series.Stat.PeriodSeconds, _timing.StandardPeriodSeconds);

    private async Task PollObservationsAsync(CancellationToken cancellationToken)
    {
        foreach (var check in _estate.HealthChecks)
        {
            try
            {
                var observations = (await _health.GetHealthCheckStatusAsync(check.Id, cancellationToken)).ToImmutableArray();
                _observations[check.Region] = observations;
                foreach (var o in observations)
                {
                    var key = (check.Region, o.CheckerRegion, o.IpAddress);
                    if (!_checkers.TryGetValue(key, out var view))
                    {
                        _checkers[key] = view = new CheckerView();
                    }

                    view.Observe(o, check.FailureThreshold, TimeSpan.FromSeconds(check.RequestIntervalSeconds));
                }
            }
            catch (EstateServiceException)
            {
                // Keep the last observations; their CheckedTime shows their age.
            }
        }
    }

    private async Task PollBackupsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var table in _estate.Tables)
        {
            foreach (var region in table.Replicas)
            {
                var key = (table.Name, region);
                try
                {
                    var b = await _tables.DescribeContinuousBackupsAsync(table.Name, region, cancellationToken);
                    _pitr[key] = new PitrWindow(table.Name, region, b.EarliestRestorableDateTime, b.LatestRestorableDateTime, b.RecoveryPeriodInDays, TimeSpan.Zero, false, null);
                    _pitrReadAt[key] = now;
                }
                catch (EstateServiceException ex)
                {
                    _pitr[key] = _pitr.TryGetValue(key, out var old)
                        ? old with { Error = ex.Message }
                        : new PitrWindow(table.Name, region, null, null, table.PitrRecoveryPeriodDays, null, true, ex.Message);
                }
            }
        }
    }

    private EstateSnapshot Build(DateTimeOffset now)
    {
        var n = _estate.Regions.Length;
        var requests = new double[n];
        var requestsPerSecond = new double?[n];
        var writesPerSecond = new double?[n];
        var overdue = new TimeSpan?[n];
        var dataAge = new TimeSpan?[n];
        var health = new RegionHealth[n];
        var p99 = new double?[n];
        var rate5xx = new double?[n];
        var checkers = new double?[n];
        var canary = new double?[n];
        var canaryLate = new bool[n];
        for (var r = 0; r < n; r++)
        {
            var code = _estate.Regions[r].Code;
            var api = _byKey[MetricCatalog.SeriesKey(code, EstateMetric.ApiRequests)];
            var (after, until) = CompleteWindow(api, now);
            var count = Window(code, EstateMetric.ApiRequests, after, until);
            var e5xx = Window(code, EstateMetric.Api5xx, after, until);
            var latency = Window(code, EstateMetric.ApiLatencyP99, after, until);
            var wcu = Window(code, EstateMetric.DynamoWriteCapacity, after, until);
            overdue[r] = Overdue(api, now);
            dataAge[r] = _store.Latest(api.Key) is { } last ? Clamp(now - last.At - TimeSpan.FromSeconds(api.Stat.PeriodSeconds)) : null;
            var fresh = overdue[r] is { } o && o <= _options.StaleAfter && count.Count > 0;
            requests[r] = fresh ? count.Sum : 0;
            requestsPerSecond[r] = fresh ? count.Sum / (count.Count * api.Stat.PeriodSeconds) : null;
            writesPerSecond[r] = fresh && wcu.Count > 0 ? wcu.Sum / (wcu.Count * (double)api.Stat.PeriodSeconds) : null;
            p99[r] = fresh && latency.Count > 0 ? latency.Mean : null;
            rate5xx[r] = fresh && count.Sum > 0 ? e5xx.Sum / count.Sum : null;
            var route53 = Route53(code, now);
            checkers[r] = route53.Percent;
            var canarySeries = _byKey[MetricCatalog.SeriesKey(code, EstateMetric.CanarySuccess)];
            var canaryOverdue = _store.Latest(canarySeries.Key) is null ? null : Overdue(canarySeries, now);
            var canaryWindow = _store.Window(canarySeries.Key, now - _options.CanaryWindow, now);
            canaryLate[r] = canaryOverdue > _options.StaleAfter;
            canary[r] = !canaryLate[r] && canaryOverdue is not null && canaryWindow.Count > 0 ? canaryWindow.Mean : null;
            var signals = new RegionSignals(
                route53.Status,
                route53.Percent,
                route53.Overdue,
                count.Count > 0 || overdue[r] is not null ? overdue[r] : null,
                count.Sum,
                e5xx.Sum,
                Window(code, EstateMetric.Api4xx, after, until).Sum,
                Window(code, EstateMetric.LambdaThrottles, after, until).Sum,
                Window(code, EstateMetric.DynamoThrottledRequests, after, until).Sum,
                latency.Count > 0 ? latency.Mean : 0,
                GroupError(code),
                canary[r],
                canaryOverdue);
            health[r] = RegionHealthEvaluator.Evaluate(signals, _options.Thresholds, _options.StaleAfter);
        }

        var pairs = ImmutableArray.CreateBuilder<ReplicationPairSnapshot>();
        var lag = new double?[n, n];
        foreach (var from in _estate.Regions)
        {
            foreach (var to in _estate.Regions.Where(t => t.Index != from.Index))
            {
                if (!_lagSeries.TryGetValue((from.Index, to.Index), out var series))
                {
                    continue;
                }

                double? worst = null;
                TimeSpan? age = null;
                var stale = false;
                foreach (var s in series)
                {
                    if (_store.Latest(s.Key) is { } p)
                    {
                        worst = Math.Max(worst ?? 0, p.Value);
                        var pointAge = Clamp(now - p.At - TimeSpan.FromSeconds(s.Stat.PeriodSeconds));
                        age = age is null || pointAge > age ? pointAge : age;
                        stale |= Overdue(s, now) > _options.StaleAfter;
                    }
                }

                stale |= worst is null;
                if (!stale)
                {
                    lag[from.Index, to.Index] = worst;
                }

                var unreplicated = !stale && worst is { } w && writesPerSecond[from.Index] is { } wps ? w / 1000 * wps : 0;
                pairs.Add(new ReplicationPairSnapshot(from.Code, to.Code, worst, age, stale,
                    worst is { } lagMs && lagMs < _estate.Objectives.Rpo.TotalMilliseconds, unreplicated));
            }
        }

        var totalRequests = requests.Sum();
        var regions = ImmutableArray.CreateBuilder<RegionSnapshot>(n);
        double atRisk = 0;
        var oldest = TimeSpan.Zero;
        for (var r = 0; r < n; r++)
        {
            var region = _estate.Regions[r];
            double? lagIn = null, lagOut = null, safest = null;
            for (var o = 0; o < n; o++)
            {
                if (lag[o, r] is { } li)
                {
                    lagIn = Math.Max(lagIn ?? 0, li);
                }

                if (lag[r, o] is { } lo)
                {
                    lagOut = Math.Max(lagOut ?? 0, lo);
                    safest = Math.Min(safest ?? double.MaxValue, lo);
                }
            }

            // A write is safe once any other region has it: the fastest outgoing stream bounds what is at risk.
            var regionAtRisk = safest is { } sl && writesPerSecond[r] is { } rate ? sl / 1000 * rate : 0;
            var regionOldest = safest is { } so && regionAtRisk > 0 ? TimeSpan.FromMilliseconds(so) : (TimeSpan?)null;
            atRisk += regionAtRisk;
            if (regionOldest > oldest)
            {
                oldest = regionOldest.Value;
            }

            regions.Add(new RegionSnapshot(
                region.Code,
                region.DisplayName,
                region.Role,
                health[r].Status,
                health[r].Reasons,
                totalRequests > 0 && requestsPerSecond[r] is not null ? requests[r] / totalRequests : null,
                requestsPerSecond[r],
                p99[r],
                rate5xx[r],
                writesPerSecond[r],
                lagIn,
                lagOut,
                checkers[r],
                _observations.TryGetValue(region.Code, out var obs) ? obs : [],
                dataAge[r],
                overdue[r] is { } late && late > _options.StaleAfter,
                regionAtRisk,
                regionOldest,
                canary[r],
                canaryLate[r]));
        }

        var pitr = _pitr.Values
            .Select(p => _pitrReadAt.TryGetValue((p.Table, p.Region), out var readAt)
                ? p with { DataAge = now - readAt, IsStale = now - readAt > _options.BackupsInterval + _options.StaleAfter }
                : p)
            .OrderBy(p => p.Table, StringComparer.Ordinal).ThenBy(p => p.Region, StringComparer.Ordinal)
            .ToImmutableArray();

        return new EstateSnapshot(
            ++_sequence,
            now,
            Overall(health),
            regions.MoveToImmutable(),
            pairs.ToImmutable(),
            pitr,
            _activeFaults,
            new DataAtRisk(atRisk, oldest),
            _estate.Objectives,
            _anomalies?.Recent(now) ?? [],
            Budget(now));
    }

    /// <summary>
    /// The newest complete periods of a series, <c>(after, until]</c> by point timestamp: a period is complete once it
    /// has ended and the source's delay has passed, so a minute still open to revision never decides a region's health.
    /// </summary>
    private (DateTimeOffset After, DateTimeOffset Until) CompleteWindow(SeriesDefinition series, DateTimeOffset now)
    {
        var until = Floor(now - DelayOf(series), series.Stat.PeriodSeconds) - TimeSpan.FromSeconds(series.Stat.PeriodSeconds);
        return (until - _healthWindow, until);
    }

    /// <summary>
    /// Route 53's verdict on a region, within seconds: from the checkers' own probes (each checker's view turns after
    /// the health check's failure threshold of consecutive results, as Route 53's does), else from the CloudWatch
    /// metric, which arrives minutes late.
    /// </summary>
    private (double? Status, double? Percent, TimeSpan? Overdue) Route53(string region, DateTimeOffset now)
    {
        var views = _checkers.Where(c => c.Key.Region == region).Select(c => c.Value).ToList();
        if (views.Count > 0)
        {
            var check = _estate.HealthChecks.First(c => c.Region == region);
            var percent = 100.0 * views.Count(v => v.Healthy) / views.Count;
            var newest = views.Max(v => v.CheckedTime);
            var due = newest + TimeSpan.FromSeconds(check.RequestIntervalSeconds) + _options.HealthObservationInterval;
            return (percent > EstateTopology.Route53HealthyCheckerShare * 100 ? 1 : 0, percent, Clamp(now - due));
        }

        var status = _byKey[MetricCatalog.SeriesKey(region, EstateMetric.Route53HealthCheckStatus)];
        var share = _byKey[MetricCatalog.SeriesKey(region, EstateMetric.Route53PercentageHealthy)];
        return (_store.Latest(status.Key)?.Value, _store.Latest(share.Key)?.Value, Overdue(status, now));
    }

    private static HealthStatus Overall(RegionHealth[] health)
    {
        if (health.All(h => h.Status == HealthStatus.Unknown))
        {
            return HealthStatus.Unknown;
        }

        if (!health.Any(h => h.Status is HealthStatus.Healthy or HealthStatus.Degraded))
        {
            return HealthStatus.Unhealthy;
        }

        return health.All(h => h.Status == HealthStatus.Healthy) ? HealthStatus.Healthy : HealthStatus.Degraded;
    }

    private (double Sum, double Mean, int Count, double Max) Window(string region, EstateMetric metric, DateTimeOffset after, DateTimeOffset until) =>
        _store.Window(MetricCatalog.SeriesKey(region, metric), after, until);

    /// <summary>The last read error of the region's own AWS metrics.</summary>
    private string? GroupError(string region) => _groupOf.GetValueOrDefault(MetricCatalog.SeriesKey(region, EstateMetric.ApiRequests))?.Error;

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    private static DateTimeOffset Floor(DateTimeOffset at, int periodSeconds)
    {
        var ticks = TimeSpan.FromSeconds(periodSeconds).Ticks;
        return new DateTimeOffset(at.UtcTicks - (at.UtcTicks % ticks), TimeSpan.Zero);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One Route 53 checker's view of an endpoint, turned by consecutive results as Route 53 turns it.</summary>
    private sealed class CheckerView
    {
        private int _failures;
        private int _successes;

        public bool Healthy { get; private set; } = true;

        public DateTimeOffset CheckedTime { get; private set; } = DateTimeOffset.MinValue;

        /// <summary>
        /// Takes a checker's newest probe. Probes between two reads are not seen; when the newest agrees with the last one
        /// seen, the probes in between are counted as agreeing too (one per request interval), as Route 53 counted them.
        /// </summary>
        public void Observe(HealthCheckObservation o, int failureThreshold, TimeSpan requestInterval)
        {
            if (o.CheckedTime <= CheckedTime)
            {
                return;
            }

            var probes = CheckedTime == DateTimeOffset.MinValue ? 1 : Math.Max(1, (int)Math.Round((o.CheckedTime - CheckedTime) / requestInterval));
            CheckedTime = o.CheckedTime;
            (_failures, _successes) = o.Success
                ? (0, _successes > 0 ? _successes + probes : 1)
                : (_failures > 0 ? _failures + probes : 1, 0);
            if (Healthy && _failures >= failureThreshold)
            {
                Healthy = false;
            }
            else if (!Healthy && _successes >= failureThreshold)
            {
                Healthy = true;
            }
        }
    }

    private sealed class QueryGroup(ReadGroup plan)
    {
        public ReadGroup Plan { get; } = plan;

        public string Region => Plan.Region;

        public int Period => Plan.PeriodSeconds;

        /// <summary>How often the group is read.</summary>
        public TimeSpan Every => Plan.Every;

        /// <summary>How long after its period ends a point of the group is final.</summary>
        public TimeSpan Delay => Plan.Delay;

        public ImmutableArray<SeriesDefinition> Series => Plan.Series;

        public ImmutableArray<MetricDataQuery> Queries { get; } = [.. plan.Series.Select((s, i) => new MetricDataQuery($"m{i}", s.Stat))];

        public string? Error { get; set; }

        public DateTimeOffset NextRead { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset? LastRead { get; set; }
    }
}
