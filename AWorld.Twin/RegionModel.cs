using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// The services of one region (API Gateway → Lambda → DynamoDB, MemoryDB beside): turns the traffic clients send
/// into the region into one second of CloudWatch metrics, the requests that failed, and the writes acknowledged.
/// Noise is AR(1) so that it wanders like real metrics instead of jittering independently.
/// </summary>
internal sealed partial class RegionModel
{
    private const int TenantCount = 40;
    private const string DefaultStormClient = "tenant-03";
    private static readonly double[] TenantShares = ZipfShares(TenantCount, 1.1);

    /// <summary>Every region's clients (API keys), tenant-01 (the busiest) to tenant-40.</summary>
    public static readonly IReadOnlyList<string> Tenants = Enumerable.Range(1, TenantCount).Select(k => $"tenant-{k:D2}").ToArray();

    private readonly int _region;
    private readonly long _seed;
    private readonly SimulationOptions _options;
    private readonly SimRandom _random;
    private readonly int[] _slots;
    private readonly double _phase;
    private double _latencyNoise;
    private double _tailNoise;
    private double _readNoise;
    private double _cpuNoise;
    private double _memoryNoise;

    /// <param name="region">The region's index in the estate.</param>
    /// <param name="code">The region's code.</param>
    /// <param name="options">The twin's knobs.</param>
    /// <param name="random">The region's own random stream.</param>
    /// <param name="recorder">Where its series are kept.</param>
    /// <param name="seed">The twin's seed, for draws that must not move <paramref name="random"/> (the canary's).</param>
    public RegionModel(int region, string code, SimulationOptions options, SimRandom random, MetricRecorder recorder, long seed)
    {
        _region = region;
        _seed = seed;
        _options = options;
        _random = random;
        _phase = random.NextDouble() * Math.PI * 2;
        _slots = new int[Enum.GetValues<EstateMetric>().Length];
        foreach (var metric in Enum.GetValues<EstateMetric>().Where(m => m is not (EstateMetric.DynamoReplicationLatency or EstateMetric.Route53HealthCheckStatus or EstateMetric.Route53PercentageHealthy)))
        {
            _slots[(int)metric] = recorder.Slot(MetricCatalog.SeriesKey(code, metric));
        }
    }

    /// <summary>Median latency of the last second, for the health checkers' response-time check.</summary>
    public double LatencyP50Ms { get; private set; } = 30;

    /// <summary>Capacity multiplier (1 = as configured); countermeasures scale a region out.</summary>
    public double Scale { get; set; } = 1;

    /// <summary>Requests per second clients sent to the region in the last second.</summary>
    public double LastSentRps { get; private set; }

    /// <summary>Per-client limits that replace the usage plan's default.</summary>
    public Dictionary<string, double> ClientLimits { get; } = new(StringComparer.Ordinal);

    /// <summary>The region's clients (API keys) by current rate, with their usual rate and limit.</summary>
    public IReadOnlyList<ClientRate> TopClients(int count, FaultBook faults)
    {
        var storming = faults.StormMultiplier[_region] > 1 ? faults.StormClient[_region] ?? DefaultStormClient : null;
        return Enumerable.Range(1, TenantCount)
            .Select(k =>
            {
                var name = $"tenant-{k:D2}";
                var baseline = TenantShares[k - 1] * LastSentRps;
                var rate = name == storming ? baseline * faults.StormMultiplier[_region] : baseline;
                var reduced = ClientLimits.TryGetValue(name, out var limit);
                return new ClientRate(name, rate, baseline, reduced ? limit : _options.ClientRateLimitRequestsPerSecond, reduced);
            })
            .OrderByDescending(c => c.RequestsPerSecond)
            .Take(count)
            .ToList();
    }

    /// <summary>The storming client's number (1 to 40) in a region where a throttle fault runs; 0 when none storms.</summary>
    public static int StormingTenant(FaultBook faults, int region) =>
        faults.StormMultiplier[region] > 1 ? TenantNumber(faults.StormClient[region] ?? DefaultStormClient) : 0;

    /// <summary>A client's number (1 to 40) from its name, 0 for a name that is no client of the twin.</summary>
    public static int TenantNumber(string name) =>
        name.StartsWith("tenant-", StringComparison.Ordinal) && int.TryParse(name[7..], out var n) && n >= 1 && n <= TenantCount ? n : 0;

    /// <summary>
    /// Requests per second client <paramref name="tenant"/> sends to a region that clients send <paramref name="sentRps"/>
    /// to, when <paramref name="stormingTenant"/> sends <paramref name="stormMultiplier"/> times its usual rate (as <see cref="TopClients"/> counts).
    /// </summary>
    public static double ClientRequests(int tenant, double sentRps, int stormingTenant, double stormMultiplier) =>
        TenantShares[tenant - 1] * sentRps * (tenant == stormingTenant ? stormMultiplier : 1);

    /// <summary>Share of the estate's traffic sent by a named client (API key); unknown names get an average share.</summary>
    public static double TenantShare(string? client)
    {
        var name = client ?? DefaultStormClient;
        return name.StartsWith("tenant-", StringComparison.Ordinal) && int.TryParse(name[7..], out var n) && n >= 1 && n <= TenantCount
            ? TenantShares[n - 1]
            : 1.0 / TenantCount;
    }

    /// <summary>
    /// Simulates one second. Returns the requests that failed as clients saw them and the writes acknowledged;
    /// metrics go to <paramref name="recorder"/> unless the region is down (then CloudWatch has no data).
    /// </summary>
    public (double Failed, long Writes) Step(long second, double hourOfDay, double sentRps, FaultBook faults, MetricRecorder recorder)
    {
        _latencyNoise = (0.97 * _latencyNoise) + (0.03 * _random.NextGaussian());
        _tailNoise = (0.9 * _tailNoise) + (0.15 * _random.NextGaussian());
        _readNoise = (0.95 * _readNoise) + (0.04 * _random.NextGaussian());
        _cpuNoise = (0.98 * _cpuNoise) + (0.4 * _random.NextGaussian());
        _memoryNoise = (0.995 * _memoryNoise) + (0.05 * _random.NextGaussian());

        LastSentRps = sentRps;
        if (faults.Outage[_region])
        {
            // The canary runs outside the region and publishes its failed writes: 0 every second, no latency.
            Record(EstateMetric.CanarySuccess, 0);
            return (sentRps, 0);
        }

        // A storming client adds traffic on top of its normal share; API Gateway's usage plan answers 429 above its limit.
        var stormRps = 0.0;
        var throttled429 = 0.0;
        if (faults.StormMultiplier[_region] > 1)
        {
            var client = faults.StormClient[_region] ?? DefaultStormClient;
            var normal = TenantShare(client) * sentRps;
            var storm = normal * faults.StormMultiplier[_region];
            var clientLimit = ClientLimits.TryGetValue(client, out var reduced) ? reduced : _options.ClientRateLimitRequestsPerSecond;
            stormRps = storm - normal;
            throttled429 = Math.Max(0, storm - clientLimit);
        }

        var arriving = sentRps + stormRps;
        var count = _random.Poisson(arriving);
        var accepted = Math.Max(0, count - throttled429);
        var capacity = _options.RegionCapacityRequestsPerSecond * Scale;
        var load = accepted / capacity;
        var queueing = 1 + (0.5 * load * load) + (load > 0.85 ? (load - 0.85) * 8 : 0);
        var injected = faults.LatencyMs[_region];
        var p50 = (28 * queueing * Math.Exp(_latencyNoise)) + injected;
        var p99 = (135 * Math.Pow(queueing, 1.6) * Math.Exp(_latencyNoise + Math.Abs(_tailNoise))) + (injected * 1.25);
        LatencyP50Ms = p50;

        var errorRate = Math.Min(1, 0.0006 + faults.ErrorRate[_region] + (load > 1 ? (load - 1) * 0.5 : 0));
        var e5xx = Math.Min(accepted, _random.Poisson(accepted * errorRate));
        var e4xx = _random.Poisson(accepted * 0.011) + throttled429;

        var durationMs = (p50 - injected) * 0.75;
        var concurrency = accepted * (durationMs + injected) / 1000;
        var limit = _options.LambdaConcurrencyLimit * Scale;
        var lambdaThrottles = concurrency > limit ? accepted * (1 - (limit / concurrency)) : 0;
        var invoked = accepted - lambdaThrottles;
        var lambdaErrors = Math.Min(invoked, e5xx * 0.9);

        var writes = _random.Poisson(Math.Max(0, invoked - lambdaErrors) * _options.WriteShare);
        var rcu = invoked * 2.2 * Math.Exp(_readNoise);

        // A storm hammers a few hot keys: DynamoDB throttles part of what got through.
        var hotKeyThrottled = stormRps > 0 ? _random.Poisson(Math.Max(0, stormRps - throttled429) * 0.3) : 0;
        var cpu = Math.Clamp(9 + (48 * load) + _cpuNoise, 0, 100);
        var memory = Math.Clamp(61 + (4 * Math.Sin((hourOfDay / 6 * Math.PI) + _phase)) + _memoryNoise, 0, 100);
        var connections = Math.Round(140 + (concurrency * 1.4) + (3 * _random.NextGaussian()));

        Record(EstateMetric.ApiRequests, count);
        if (count > 0)
        {
            // Like CloudWatch, latency has no data point in a second without requests.
            Record(EstateMetric.ApiLatencyP50, p50);
            Record(EstateMetric.ApiLatencyP99, Math.Max(p99, p50));
            Record(EstateMetric.LambdaDuration, durationMs + injected);
        }

        Record(EstateMetric.Api4xx, Math.Round(e4xx));
        Record(EstateMetric.Api5xx, e5xx + Math.Round(lambdaThrottles));
        Record(EstateMetric.LambdaErrors, Math.Round(lambdaErrors));
        Record(EstateMetric.LambdaThrottles, Math.Round(lambdaThrottles));
        Record(EstateMetric.LambdaConcurrency, Math.Round(Math.Min(concurrency, limit)));
        Record(EstateMetric.DynamoReadCapacity, Math.Round(rcu));
        Record(EstateMetric.DynamoWriteCapacity, writes);
        Record(EstateMetric.DynamoThrottledRequests, hotKeyThrottled);
        Record(EstateMetric.MemoryDbCpu, cpu);
        Record(EstateMetric.MemoryDbMemory, memory);
        Record(EstateMetric.MemoryDbConnections, Math.Max(0, connections));
        RecordCanary(second, queueing, injected, Math.Min(1, errorRate + (accepted > 0 ? lambdaThrottles / accepted : 0)));
        // What clients experienced: the storm's own 429s are the storming client's problem, but count as failures too.
        var failed = Math.Min(count, e5xx + throttled429 + lambdaThrottles) * (sentRps / Math.Max(arriving, 1e-9));
        return (failed, writes);

        void Record(EstateMetric metric, double value) => recorder.Set(second, _slots[(int)metric], value);

        // The canary's write of this second fails as the region's requests fail (errors, throttling); its latency is a
        // DynamoDB write's, slowed like the region's requests. Drawn from a hash so that the canary moves no other value.
        void RecordCanary(long s, double queueing, double injected, double failureRate)
        {
            if (SimHash.Unit(_seed, CanarySalt, _region, s) < failureRate)
            {
                Record(EstateMetric.CanarySuccess, 0);
                return;
            }

            Record(EstateMetric.CanarySuccess, 1);
            Record(EstateMetric.CanaryLatency, (CanaryBaseLatencyMs * queueing * Math.Exp((0.15 * SimHash.Gaussian(_seed, CanarySalt + 1, _region, s)) + _latencyNoise)) + injected);
        }
    }

    private const ulong CanarySalt = 0xCA9A;
    private const double CanaryBaseLatencyMs = 7;

    /// <summary>
    /// A healthy minute of this region's own series (no faults, scale 1) when clients send <paramref name="sentRps"/>, as
    /// <see cref="Step"/> would record it on average: each series' per-second mean, a spread for its minimum and maximum,
    /// and <paramref name="jitter"/> (a small multiplicative noise) on top. For history, without stepping.
    /// </summary>
    public void HistoryMinute(double hourOfDay, double sentRps, Func<int, double> jitter, MetricAggregate[] row)
    {
        var load = sentRps / _options.RegionCapacityRequestsPerSecond;
        var queueing = 1 + (0.5 * load * load) + (load > 0.85 ? (load - 0.85) * 8 : 0);

        // E[exp(x)] of the AR(1) noises at their stationary spread.
        var p50 = 28 * queueing * 1.0076;
        var p99 = Math.Max(135 * Math.Pow(queueing, 1.6) * 1.36, p50);
        var errorRate = 0.0006 + (load > 1 ? (load - 1) * 0.5 : 0);
        var duration = p50 * 0.75;
        var concurrency = sentRps * duration / 1000;
        var limit = (double)_options.LambdaConcurrencyLimit;
        var throttles = concurrency > limit ? sentRps * (1 - (limit / concurrency)) : 0;
        var invoked = sentRps - throttles;
        var errors5xx = sentRps * errorRate;
        var served = sentRps > 0.05;

        Put(EstateMetric.ApiRequests, sentRps, CountSpread(sentRps), true);
        Put(EstateMetric.ApiLatencyP50, p50, p50 * 0.1, served);
        Put(EstateMetric.ApiLatencyP99, p99, p99 * 0.4, served);
        Put(EstateMetric.LambdaDuration, duration, duration * 0.1, served);
        Put(EstateMetric.Api4xx, sentRps * 0.011, CountSpread(sentRps * 0.011), true);
        Put(EstateMetric.Api5xx, errors5xx + throttles, CountSpread(errors5xx + throttles), true);
        Put(EstateMetric.LambdaErrors, errors5xx * 0.9, CountSpread(errors5xx * 0.9), true);
        Put(EstateMetric.LambdaThrottles, throttles, CountSpread(throttles), true);
        Put(EstateMetric.LambdaConcurrency, Math.Min(concurrency, limit), 0.1 * concurrency, true);
        Put(EstateMetric.DynamoReadCapacity, invoked * 2.2 * 1.008, CountSpread(invoked * 2.2) + (0.2 * invoked), true);
        Put(EstateMetric.DynamoWriteCapacity, invoked * _options.WriteShare, CountSpread(invoked * _options.WriteShare), true);
        Put(EstateMetric.DynamoThrottledRequests, 0, 0, true);
        Put(EstateMetric.MemoryDbCpu, Math.Clamp(9 + (48 * load), 0, 100), 4, true);
        Put(EstateMetric.MemoryDbMemory, Math.Clamp(61 + (4 * Math.Sin((hourOfDay / 6 * Math.PI) + _phase)), 0, 100), 0.2, true);
        Put(EstateMetric.MemoryDbConnections, 140 + (concurrency * 1.4), 6, true);
        Put(EstateMetric.CanarySuccess, 1, 0, true);
        Put(EstateMetric.CanaryLatency, CanaryBaseLatencyMs * queueing * 1.02, CanaryBaseLatencyMs * 0.5, true);

        void Put(EstateMetric metric, double mean, double spread, bool published)
        {
            var slot = _slots[(int)metric];
            if (!published)
            {
                row[slot] = default;
                return;
            }

            var value = metric is EstateMetric.CanarySuccess ? mean : mean * jitter(slot);
            row[slot] = new MetricAggregate
            {
                Sum = (float)(value * 60),
                Min = (float)Math.Max(0, value - spread),
                Max = (float)(value + spread),
                Count = 60,
            };
        }

        // A Poisson count's minimum and maximum over 60 seconds: about 2.4 standard deviations from its mean.
        static double CountSpread(double mean) => 2.4 * Math.Sqrt(Math.Max(0, mean));
    }

    private static double[] ZipfShares(int n, double s)
    {
        var raw = Enumerable.Range(1, n).Select(k => 1 / Math.Pow(k, s)).ToArray();
        var total = raw.Sum();
        return raw.Select(v => v / total).ToArray();
    }
}
