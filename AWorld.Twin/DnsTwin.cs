using AWorld.Core.Estate;

namespace AWorld.Twin;

/// <summary>
/// The API's Route 53 record set and the population of clients that resolve it. Each client caches its answer
/// for the TTL (a sticky share of resolvers for several TTLs) and sends all its requests to the cached region;
/// a region's traffic share is the summed weight of the clients whose cache points at it, so traffic leaves a
/// region only as caches expire.
/// </summary>
internal sealed partial class DnsTwin
{
    private readonly EstateTopology _estate;
    private readonly SimRandom _random;
    private readonly int[] _target;
    private readonly double[] _clientWeight;
    private readonly int[] _hold;
    private readonly List<int>[] _wheel;
    private readonly double[] _share;
    private readonly int[] _clientsIn;
    private readonly int[] _weights;
    private readonly int[] _served;
    private readonly FailoverRole?[] _failoverRole;
    private readonly bool[] _hasRecord;
    private readonly List<PendingChange> _changes = [];
    private int _nextChangeId = 1;

    public DnsTwin(EstateTopology estate, SimulationOptions options, SimRandom random)
    {
        _estate = estate;
        _random = random;
        var regions = estate.Regions.Length;
        _weights = new int[regions];
        _served = new int[regions];
        _failoverRole = new FailoverRole?[regions];
        _hasRecord = new bool[regions];
        foreach (var record in estate.Dns.Records)
        {
            var r = estate.Region(record.Region).Index;
            _weights[r] = record.Weight;
            _served[r] = record.Weight;
            _failoverRole[r] = record.FailoverRole;
            _hasRecord[r] = true;
        }

        var n = options.ClientCount;
        _target = new int[n];
        _clientWeight = new double[n];
        _hold = new int[n];
        _share = new double[regions];
        _clientsIn = new int[regions];
        var ttl = Math.Max(1, estate.Dns.TtlSeconds);
        var stickyHold = Math.Max(ttl, (int)Math.Round(ttl * options.StickyResolverTtlMultiple));
        _wheel = new List<int>[stickyHold + 1];
        for (var i = 0; i < _wheel.Length; i++)
        {
            _wheel[i] = [];
        }

        // Client sizes are log-normal: a few large clients, many small ones.
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            _clientWeight[i] = Math.Exp(0.8 * random.NextGaussian());
            total += _clientWeight[i];
        }

        var healthy = Enumerable.Repeat(true, regions).ToArray();
        for (var i = 0; i < n; i++)
        {
            _clientWeight[i] /= total;
            _hold[i] = random.Chance(options.StickyResolverShare) ? stickyHold : ttl;
            _target[i] = Resolve(healthy);
            _share[_target[i]] += _clientWeight[i];
            _clientsIn[_target[i]]++;
            _wheel[1 + random.Next(_hold[i])].Add(i);
        }
    }

    /// <summary>Share of all client traffic whose cached answer points at each region (sums to 1).</summary>
    public ReadOnlySpan<double> Share => _share;

    /// <summary>
    /// Each region's long-run share of the traffic with every record healthy and no change pending: what clients drift
    /// to as they re-resolve (weighted: by weight; failover: the primary).
    /// </summary>
    internal double[] SteadyShares()
    {
        var shares = new double[_share.Length];
        if (_estate.Dns.RoutingPolicy == DnsRoutingPolicy.Failover)
        {
            for (var r = 0; r < shares.Length; r++)
            {
                shares[r] = _failoverRole[r] == FailoverRole.Primary ? 1 : 0;
            }

            return shares;
        }

        var total = 0.0;
        for (var r = 0; r < shares.Length; r++)
        {
            total += _hasRecord[r] ? _served[r] : 0;
        }

        var equal = _hasRecord.Count(h => h);
        for (var r = 0; r < shares.Length; r++)
        {
            shares[r] = !_hasRecord[r] ? 0 : total > 0 ? _served[r] / total : 1.0 / equal;
        }

        return shares;
    }

    /// <summary>
    /// Autocovariance at <paramref name="lag"/> seconds of the share of a region that gets <paramref name="share"/> of the
    /// answers: each client holds its answer for its hold time, then draws afresh.
    /// </summary>
    internal double ShareAutocovariance(double share, int lag)
    {
        var sum = 0.0;
        for (var i = 0; i < _clientWeight.Length; i++)
        {
            sum += _clientWeight[i] * _clientWeight[i] * Math.Max(0, 1 - ((double)lag / _hold[i]));
        }

        return share * (1 - share) * sum;
    }

    /// <summary>The record's weight in the hosted zone (name servers may still answer with the previous one).</summary>
    public int Weight(int region) => _weights[region];

    public IReadOnlyList<TrafficRecord> Records() =>
        _estate.Dns.Records
            .Select(r => new TrafficRecord(r.Region, _weights[_estate.Region(r.Region).Index], r.FailoverRole, r.HealthCheckId, _estate.Dns.TtlSeconds))
            .ToList();

    public ChangeInfo Submit(IReadOnlyList<WeightChange> changes, string comment, DateTimeOffset now, TimeSpan propagation)
    {
        var weights = new List<(int Region, int Weight)>();
        foreach (var change in changes)
        {
            if (!_estate.TryGetRegion(change.Region, out var region) || !_hasRecord[region.Index])
            {
                throw new EstateServiceException("Route53", "global", "InvalidChangeBatch", $"There is no record for region '{change.Region}' in {_estate.Dns.Name}.");
            }

            if (change.Weight is < 0 or > 255)
            {
                throw new EstateServiceException("Route53", "global", "InvalidChangeBatch", $"Weight {change.Weight} for '{change.Region}' is outside 0 to 255.");
            }

            weights.Add((region.Index, change.Weight));
        }

        // Like Route 53: the hosted zone (what ListResourceRecordSets returns) has the change at once; the name
        // servers answer with it once the change is INSYNC.
        foreach (var (region, weight) in weights)
        {
            _weights[region] = weight;
        }

        var info = new ChangeInfo($"C{_nextChangeId++:D6}", ChangeStatus.Pending, now, comment);
        _changes.Add(new PendingChange(info, weights, now + propagation));
        return info;
    }

    public ChangeInfo GetChange(string id)
    {
        var change = _changes.Find(c => c.Info.Id == id)
            ?? throw new EstateServiceException("Route53", "global", "NoSuchChange", $"No change with id '{id}'.");
        return change.Info;
    }

    /// <summary>Applies changes that reached every name server, then lets due clients re-resolve.</summary>
    public void Step(long second, DateTimeOffset now, bool[] healthy)
    {
        for (var i = 0; i < _changes.Count; i++)
        {
            var change = _changes[i];
            if (change.Info.Status == ChangeStatus.Pending && change.InSyncAt <= now)
            {
                foreach (var (region, weight) in change.Weights)
                {
                    _served[region] = weight;
                }

                _changes[i] = change with { Info = change.Info with { Status = ChangeStatus.InSync } };
            }
        }

        var bucket = _wheel[second % _wheel.Length];
        foreach (var client in bucket)
        {
            var next = Resolve(healthy);
            if (next != _target[client])
            {
                var previous = _target[client];
                _share[previous] -= _clientWeight[client];
                _share[next] += _clientWeight[client];
                _target[client] = next;

                // Incremental sums drift by rounding; a region no client points at carries exactly nothing.
                if (--_clientsIn[previous] == 0)
                {
                    _share[previous] = 0;
                }

                _clientsIn[next]++;
            }

            _wheel[(second + _hold[client]) % _wheel.Length].Add(client);
        }

        bucket.Clear();
    }

    /// <summary>Route 53's answer for one query, given the health of each record's health check.</summary>
    private int Resolve(bool[] healthy)
    {
        if (_estate.Dns.RoutingPolicy == DnsRoutingPolicy.Failover)
        {
            int primary = -1, secondary = -1;
            for (var r = 0; r < _served.Length; r++)
            {
                if (_failoverRole[r] == FailoverRole.Primary)
                {
                    primary = r;
                }
                else if (_failoverRole[r] == FailoverRole.Secondary)
                {
                    secondary = r;
                }
            }

            // Route 53 answers with the primary when both are unhealthy.
            return healthy[primary] || !healthy[secondary] ? primary : secondary;
        }

        // Weighted: healthy non-zero records; else healthy zero-weight records (equally); else, when every
        // record is unhealthy, Route 53 answers as if all were healthy.
        var choice = Pick(healthy, requireHealthy: true, zeroWeight: false);
        if (choice < 0)
        {
            choice = Pick(healthy, requireHealthy: true, zeroWeight: true);
        }

        if (choice < 0)
        {
            choice = Pick(healthy, requireHealthy: false, zeroWeight: false);
        }

        return choice < 0 ? Pick(healthy, requireHealthy: false, zeroWeight: true) : choice;
    }

    private int Pick(bool[] healthy, bool requireHealthy, bool zeroWeight)
    {
        var total = 0.0;
        for (var r = 0; r < _served.Length; r++)
        {
            if (Eligible(r))
            {
                total += zeroWeight ? 1 : _served[r];
            }
        }

        if (total <= 0)
        {
            return -1;
        }

        var x = _random.NextDouble() * total;
        var last = -1;
        for (var r = 0; r < _served.Length; r++)
        {
            if (!Eligible(r))
            {
                continue;
            }

            last = r;
            x -= zeroWeight ? 1 : _served[r];
            if (x < 0)
            {
                return r;
            }
        }

        return last;

        bool Eligible(int r) =>
            _hasRecord[r] && (!requireHealthy || healthy[r]) && (zeroWeight ? _served[r] == 0 : _served[r] > 0);
    }

    private sealed record PendingChange(ChangeInfo Info, List<(int Region, int Weight)> Weights, DateTimeOffset InSyncAt);
}
