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
        _latencyNoise = (LatencyPhi * _latencyNoise) + (LatencySigma * _random.NextGaussian());
        _tailNoise = (TailPhi * _tailNoise) + (TailSigma * _random.NextGaussian());
        _readNoise = (ReadPhi * _readNoise) + (ReadSigma * _random.NextGaussian());
        _cpuNoise = (CpuPhi * _cpuNoise) + (CpuSigma * _random.NextGaussian());
        _memoryNoise = (MemoryPhi * _memoryNoise) + (MemorySigma * _random.NextGaussian());

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

    // The noises' per-second persistence and innovation.
    private const double LatencyPhi = 0.97;
    private const double LatencySigma = 0.03;
    private const double TailPhi = 0.9;
    private const double TailSigma = 0.15;
    private const double ReadPhi = 0.95;
    private const double ReadSigma = 0.04;
    private const double CpuPhi = 0.98;
    private const double CpuSigma = 0.4;
    private const double MemoryPhi = 0.995;
    private const double MemorySigma = 0.05;
    private const double CanaryBaseLatencyMs = 7;

    // The per-second AR(1) noises of Step as minute means: what history draws instead of stepping seconds.
    private static readonly MinuteNoise LatencyMinute = MinuteNoise.OfAr1(LatencyPhi, LatencySigma);
    private static readonly MinuteNoise TailMinute = MinuteNoise.OfAr1(TailPhi, TailSigma);
    private static readonly MinuteNoise ReadMinute = MinuteNoise.OfAr1(ReadPhi, ReadSigma);
    private static readonly MinuteNoise CpuMinute = MinuteNoise.OfAr1(CpuPhi, CpuSigma);
    private static readonly MinuteNoise MemoryMinute = MinuteNoise.OfAr1(MemoryPhi, MemorySigma);

    /// <summary>The minute mean of exp|tail noise|: its mean, its spread and the correlation of consecutive minutes.</summary>
    private static readonly Lazy<(double Mean, double Sd, double Persistence)> TailFactor = new(() =>
    {
        var (mean, autocovariance) = MinuteNoise.FoldedExpMoments(Math.Sqrt(TailMinute.SecondVariance), TailPhi, 120);
        var (variance, next) = MinuteNoise.BlockMoments(k => autocovariance[k], 60);
        return (mean, Math.Sqrt(variance), next / variance);
    });

    private const ulong HistoryNoiseSalt = 0x4200;
    private const ulong HistoryCountSalt = 0x4300;
    private const ulong HistoryStreamBase = 0x4849_5354_0000_0000;
    private float[][]? _history;
    private long _historyFirst;

    /// <summary>
    /// Draws the minute means of the region's five noises for <paramref name="minutes"/> minutes of history from
    /// <paramref name="first"/>: AR(1)s over minutes with the spread and persistence of the per-second noises' 60-second
    /// means, run backwards from the start where the live noises begin at 0. Hashed from the seed; moves no random stream.
    /// </summary>
    public void PrepareHistory(long first, long minutes)
    {
        var tail = TailFactor.Value;
        var noises = new (double Persistence, double Innovation)[]
        {
            (LatencyMinute.Persistence, LatencyMinute.Innovation),
            (tail.Persistence, Math.Sqrt(1 - (tail.Persistence * tail.Persistence))), // a unit normal, mapped to the factor per minute
            (ReadMinute.Persistence, ReadMinute.Innovation),
            (CpuMinute.Persistence, CpuMinute.Innovation),
            (MemoryMinute.Persistence, MemoryMinute.Innovation),
        };
        _historyFirst = first;
        _history = new float[noises.Length][];
        for (var i = 0; i < noises.Length; i++)
        {
            var values = new float[minutes + 1];
            var n = 0.0;
            for (var k = minutes - 1; k >= 0; k--)
            {
                n = (noises[i].Persistence * n) + (noises[i].Innovation * SimHash.Normal(_seed, HistoryNoiseSalt + (ulong)(4 * i), first + k, _region));
                values[k] = (float)n;
            }

            _history[i] = values;
        }
    }

    /// <summary>Forgets the history noises once history is written.</summary>
    public void EndHistory() => _history = null;

    /// <summary>
    /// A healthy minute of this region's own series (no faults, scale 1) when clients send <paramref name="sentRps"/>, as
    /// <see cref="Step"/> would aggregate it: the same formulas with the minute means of the noises drawn by
    /// <see cref="PrepareHistory"/> (exponentials mean-matched for the spread inside the minute), Poisson minute counts,
    /// and a plausible minimum and maximum. For history, without stepping.
    /// </summary>
    public void HistoryMinute(long minute, double hourOfDay, double sentRps, MetricAggregate[] row)
    {
        var k = minute - _historyFirst;
        var latencyNoise = Noise(0);
        var tailZ = Noise(1);
        var readNoise = Noise(2);
        var cpuNoise = Noise(3);
        var memoryNoise = Noise(4);

        var requests = Count(0, 60 * sentRps);
        var rps = requests / 60;
        var load = rps / _options.RegionCapacityRequestsPerSecond;
        var queueing = 1 + (0.5 * load * load) + (load > 0.85 ? (load - 0.85) * 8 : 0);

        var latencyFactor = Math.Exp(latencyNoise + (LatencyMinute.WithinVariance / 2));
        var tail = TailFactor.Value;
        var tailLog = Math.Log(1 + (tail.Sd * tail.Sd / (tail.Mean * tail.Mean)));
        var tailFactor = tail.Mean * Math.Exp((Math.Sqrt(tailLog) * tailZ) - (tailLog / 2));
        var p50 = 28 * queueing * latencyFactor;
        var p99 = Math.Max(135 * Math.Pow(queueing, 1.6) * latencyFactor * tailFactor, p50);
        var duration = p50 * 0.75;
        var concurrency = rps * duration / 1000;
        var limit = (double)_options.LambdaConcurrencyLimit;
        var throttles = concurrency > limit ? rps * (1 - (limit / concurrency)) : 0;
        var invoked = requests - (60 * throttles);

        var errorRate = 0.0006 + (load > 1 ? (load - 1) * 0.5 : 0);
        var errors5xx = Math.Min(requests, Count(1, requests * errorRate));
        var errors4xx = Count(2, requests * 0.011);
        var lambdaErrors = Math.Round(errors5xx * RoundedShare(rps * errorRate, 0.9));
        var rcu = invoked * 2.2 * Math.Exp(readNoise + (ReadMinute.WithinVariance / 2));
        var wcu = Count(3, Math.Max(0, invoked - lambdaErrors) * _options.WriteShare);
        var cpu = Math.Clamp(9 + (48 * load) + cpuNoise, 0, 100);
        var memory = Math.Clamp(61 + (4 * Math.Sin((hourOfDay / 6 * Math.PI) + _phase)) + memoryNoise, 0, 100);
        var connections = 140 + (concurrency * 1.4) + (3 * Z(4) / Math.Sqrt(60));
        var canaryFailures = Count(5, 60 * errorRate);
        var canary = CanaryBaseLatencyMs * queueing * latencyFactor * Math.Exp(0.15 * 0.15 / 2) * (1 + (0.151 / Math.Sqrt(60) * Z(6)));

        // Within the minute the seconds spread around its mean: about 2.2 of their standard deviations either way.
        var latencySpread = Math.Exp(2.2 * Math.Sqrt(LatencyMinute.WithinVariance));
        var tailSpread = Math.Exp(2.2 * Math.Sqrt(LatencyMinute.WithinVariance + TailMinute.WithinVariance));
        var served = sentRps > 0.05;
        PutSum(EstateMetric.ApiRequests, requests);
        Put(EstateMetric.ApiLatencyP50, p50, p50 / latencySpread, p50 * latencySpread, served);
        Put(EstateMetric.ApiLatencyP99, p99, Math.Max(p50, p99 / tailSpread), p99 * tailSpread, served);
        Put(EstateMetric.LambdaDuration, duration, duration / latencySpread, duration * latencySpread, served);
        PutSum(EstateMetric.Api4xx, errors4xx);
        PutSum(EstateMetric.Api5xx, errors5xx + Math.Round(60 * throttles));
        PutSum(EstateMetric.LambdaErrors, lambdaErrors);
        PutSum(EstateMetric.LambdaThrottles, Math.Round(60 * throttles));
        PutConcurrency();
        PutSum(EstateMetric.DynamoReadCapacity, Math.Round(rcu));
        PutSum(EstateMetric.DynamoWriteCapacity, wcu);
        Put(EstateMetric.DynamoThrottledRequests, 0, 0, 0, true);
        var cpuSpread = 2.2 * Math.Sqrt(CpuMinute.WithinVariance);
        Put(EstateMetric.MemoryDbCpu, cpu, Math.Max(0, cpu - cpuSpread), Math.Min(100, cpu + cpuSpread), true);
        var memorySpread = 2.2 * Math.Sqrt(MemoryMinute.WithinVariance);
        Put(EstateMetric.MemoryDbMemory, memory, Math.Max(0, memory - memorySpread), Math.Min(100, memory + memorySpread), true);
        Put(EstateMetric.MemoryDbConnections, connections, Math.Max(0, connections - 8 - (0.3 * concurrency)), connections + 8 + (0.3 * concurrency), true);
        row[_slots[(int)EstateMetric.CanarySuccess]] = new MetricAggregate
        {
            Sum = (float)(60 - canaryFailures),
            Min = canaryFailures > 0 ? 0 : 1,
            Max = canaryFailures < 60 ? 1 : 0,
            Count = 60,
        };
        Put(EstateMetric.CanaryLatency, canary, canary * 0.6, canary * 1.6, true);

        // Lambda's concurrency is read as its Maximum: the seconds inside the minute, drawn as the latency noise's path
        // around its minute mean and each second's Poisson count, from a stream of this minute's own.
        void PutConcurrency()
        {
            var random = new SimRandom(_seed, HistoryStreamBase ^ unchecked((ulong)minute << 8) ^ (ulong)_region);
            Span<double> path = stackalloc double[60];
            var d = Math.Sqrt(LatencyMinute.SecondVariance) * random.NextGaussian();
            var pathMean = 0.0;
            for (var s = 0; s < 60; s++)
            {
                d = (LatencyPhi * d) + (LatencySigma * random.NextGaussian());
                path[s] = d;
                pathMean += d / 60;
            }

            double sum = 0, min = double.MaxValue, max = 0;
            for (var s = 0; s < 60; s++)
            {
                var count = Math.Max(0, rps + (Math.Sqrt(rps) * random.NextGaussian()));
                var perSecond = Math.Round(Math.Min(limit, count * 0.75 * 28 * queueing * Math.Exp(latencyNoise + path[s] - pathMean) / 1000));
                sum += perSecond;
                min = Math.Min(min, perSecond);
                max = Math.Max(max, perSecond);
            }

            row[_slots[(int)EstateMetric.LambdaConcurrency]] = new MetricAggregate { Sum = (float)sum, Min = (float)min, Max = (float)max, Count = 60 };
        }

        double Noise(int i) => _history is { } h && k >= 0 && k < h[i].Length ? h[i][k] : 0;

        double Count(int which, double mean) => SimHash.Poisson(mean, _seed, HistoryCountSalt + (ulong)(4 * which), minute, _region);

        double Z(int which) => SimHash.Normal(_seed, HistoryCountSalt + 0x80 + (ulong)(4 * which), minute, _region);

        // A count's minute sum, with the per-second minimum and maximum of a Poisson count: about 2.4 standard deviations out.
        void PutSum(EstateMetric metric, double sum)
        {
            var mean = Math.Max(0, sum) / 60;
            row[_slots[(int)metric]] = new MetricAggregate
            {
                Sum = (float)Math.Max(0, sum),
                Min = (float)Math.Max(0, Math.Round(mean - Spread(mean))),
                Max = (float)Math.Round(mean + Spread(mean)),
                Count = 60,
            };
        }

        void Put(EstateMetric metric, double mean, double min, double max, bool published)
        {
            var slot = _slots[(int)metric];
            row[slot] = published
                ? new MetricAggregate { Sum = (float)(mean * 60), Min = (float)Math.Min(mean, Math.Max(0, min)), Max = (float)Math.Max(mean, max), Count = 60 }
                : default;
        }

        static double Spread(double mean) => 2.4 * Math.Sqrt(Math.Max(0, mean));
    }

    /// <summary>
    /// E[Round(share·n)] / E[n] for a Poisson count n of <paramref name="mean"/>: what rounding each second does to a share of
    /// a small count (Lambda's errors are 0.9 of the 5xx, rounded per second, so nearly all of them when they are few).
    /// </summary>
    private static double RoundedShare(double mean, double share)
    {
        if (mean <= 0)
        {
            return share;
        }

        if (mean > 200)
        {
            return share;
        }

        var p = Math.Exp(-mean);
        var total = 0.0;
        var last = (int)(mean + (10 * Math.Sqrt(mean)) + 10);
        for (var n = 1; n <= last; n++)
        {
            p *= mean / n;
            total += p * Math.Round(n * share);
        }

        return total / mean;
    }

    private static double[] ZipfShares(int n, double s)
    {
        var raw = Enumerable.Range(1, n).Select(k => 1 / Math.Pow(k, s)).ToArray();
        var total = raw.Sum();
        return raw.Select(v => v / total).ToArray();
    }
}
