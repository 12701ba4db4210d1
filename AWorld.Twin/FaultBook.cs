using AWorld.Core.Estate;

namespace AWorld.Twin;

/// <summary>The twin's faults, and their combined effect on each region at the current step.</summary>
internal sealed partial class FaultBook
{
    private readonly EstateTopology _estate;
    private readonly List<ActiveFault> _faults = [];
    private int _nextId = 1;

    public FaultBook(EstateTopology estate)
    {
        _estate = estate;
        var n = estate.Regions.Length;
        Outage = new bool[n];
        Partitioned = new bool[n, n];
        LatencyMs = new double[n];
        ErrorRate = new double[n];
        StormMultiplier = new double[n];
        StormClient = new string?[n];
        FlapProbability = new double[n];
        CorruptShare = new double[n];
    }

    public bool[] Outage { get; }

    public bool[,] Partitioned { get; }

    public double[] LatencyMs { get; }

    public double[] ErrorRate { get; }

    /// <summary>Rate multiplier of the storming client per region; 0 when none storms.</summary>
    public double[] StormMultiplier { get; }

    public string?[] StormClient { get; }

    public double[] FlapProbability { get; }

    /// <summary>Share of the region's writes a bad deploy corrupts; 0 when none runs.</summary>
    public double[] CorruptShare { get; }

    /// <summary>Every fault ever injected, in injection order, with its actual end.</summary>
    public IReadOnlyList<ActiveFault> All => _faults;

    public ActiveFault Add(FaultSpec spec, DateTimeOffset now, string? injectedBy)
    {
        var startsAt = now + spec.Delay;
        var fault = new ActiveFault($"f-{_nextId++:D4}", spec, startsAt, spec.Duration is { } d ? startsAt + d : null, injectedBy);
        _faults.Add(fault);
        return fault;
    }

    public bool Clear(string id, DateTimeOffset now)
    {
        var i = _faults.FindIndex(f => f.Id == id);
        if (i < 0 || (_faults[i].EndsAt is { } end && end <= now))
        {
            return false;
        }

        var fault = _faults[i];
        _faults[i] = fault with { EndsAt = fault.StartsAt > now ? fault.StartsAt : now };
        return true;
    }

    /// <summary>Faults that are scheduled or running at <paramref name="now"/>.</summary>
    public IReadOnlyList<ActiveFault> Pending(DateTimeOffset now) =>
        _faults.Where(f => f.EndsAt is null || f.EndsAt > now).ToList();

    /// <summary>Recomputes each region's combined fault effect for the step that starts at <paramref name="now"/>.</summary>
    public void Evaluate(DateTimeOffset now)
    {
        Array.Clear(Outage);
        Array.Clear(Partitioned);
        Array.Clear(LatencyMs);
        Array.Clear(ErrorRate);
        Array.Clear(StormMultiplier);
        Array.Clear(StormClient);
        Array.Clear(FlapProbability);
        Array.Clear(CorruptShare);
        foreach (var fault in _faults)
        {
            if (!fault.IsActiveAt(now))
            {
                continue;
            }

            var spec = fault.Spec;
            var r = _estate.Region(spec.Region).Index;
            var m = spec.EffectiveMagnitude;
            switch (spec.Kind)
            {
                case FaultKind.Outage:
                    Outage[r] = true;
                    break;
                case FaultKind.Partition:
                    var p = _estate.Region(spec.PeerRegion!).Index;
                    Partitioned[r, p] = Partitioned[p, r] = true;
                    break;
                case FaultKind.Latency:
                    LatencyMs[r] += m;
                    break;
                case FaultKind.Errors:
                    ErrorRate[r] = Math.Min(1, ErrorRate[r] + m);
                    break;
                case FaultKind.Throttle:
                    StormMultiplier[r] = Math.Max(StormMultiplier[r], m);
                    StormClient[r] = spec.Client;
                    break;
                case FaultKind.Flap:
                    FlapProbability[r] = Math.Max(FlapProbability[r], m);
                    break;
                case FaultKind.BadDeploy:
                    CorruptShare[r] = Math.Max(CorruptShare[r], m);
                    break;
            }
        }
    }
}
