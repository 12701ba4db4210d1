using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin;

/// <summary>
/// Route 53 health checking as AWS documents it: every checker location probes the endpoint once per request
/// interval (each with its own phase); a checker changes its view after <c>FailureThreshold</c> consecutive
/// results of the other kind; the endpoint is healthy while more than 18% of checkers consider it healthy.
/// </summary>
internal sealed partial class Route53Twin
{
    private const double ResponseTimeoutMs = 2000;

    private readonly EstateTopology _estate;
    private readonly SimRandom _random;
    private readonly Checker[][] _checkers;

    public Route53Twin(EstateTopology estate, SimRandom random)
    {
        _estate = estate;
        _random = random;
        _checkers = new Checker[estate.HealthChecks.Length][];
        Healthy = new bool[estate.HealthChecks.Length];
        PercentHealthy = new double[estate.HealthChecks.Length];
        for (var c = 0; c < _checkers.Length; c++)
        {
            var check = estate.HealthChecks[c];
            _checkers[c] = check.CheckerLocations
                .Select((location, j) => new Checker(location, $"15.177.{(c * 16) + j}.{10 + random.Next(200)}", 1 + random.Next(check.RequestIntervalSeconds)))
                .ToArray();
            Healthy[c] = true;
            PercentHealthy[c] = 100;
        }
    }

    /// <summary>Overall status per health check (index = region index), after the threshold and the 18% rule.</summary>
    public bool[] Healthy { get; }

    public double[] PercentHealthy { get; }

    /// <summary>Runs the probes due at <paramref name="second"/> and re-evaluates every endpoint.</summary>
    public void Step(long second, DateTimeOffset now, FaultBook faults, double[] latencyP50Ms)
    {
        for (var c = 0; c < _checkers.Length; c++)
        {
            var check = _estate.HealthChecks[c];
            var region = _estate.Region(check.Region).Index;
            var healthyCount = 0;
            foreach (var checker in _checkers[c])
            {
                if (checker.NextProbe == second)
                {
                    checker.NextProbe += check.RequestIntervalSeconds;
                    Probe(checker, check, region, now, faults, latencyP50Ms[region]);
                }

                if (checker.Healthy)
                {
                    healthyCount++;
                }
            }

            var share = (double)healthyCount / _checkers[c].Length;
            PercentHealthy[c] = share * 100;
            Healthy[c] = share > EstateTopology.Route53HealthyCheckerShare;
        }
    }

    /// <summary>Each checker's current view of the endpoint (after its threshold), in location order.</summary>
    public bool[] CheckerViews(int check) => _checkers[check].Select(k => k.Healthy).ToArray();

    public IReadOnlyList<HealthCheckObservation> Observations(string healthCheckId)
    {
        var c = _estate.HealthChecks.IndexOf(_estate.HealthChecks.FirstOrDefault(h => h.Id == healthCheckId)!);
        if (c < 0)
        {
            throw new EstateServiceException("Route53", "global", "NoSuchHealthCheck", $"No health check with id '{healthCheckId}'.");
        }

        return _checkers[c]
            .Where(k => k.LastChecked is not null)
            .Select(k => new HealthCheckObservation(k.Location, k.IpAddress, k.LastChecked!.Value, k.LastSuccess, k.LastReport))
            .ToList();
    }

    private void Probe(Checker checker, HealthCheckDefinition check, int region, DateTimeOffset now, FaultBook faults, double latencyMs)
    {
        bool success;
        string report;
        if (faults.Outage[region])
        {
            success = false;
            report = "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.";
        }
        else if (faults.FlapProbability[region] > 0 && _random.Chance(faults.FlapProbability[region]))
        {
            success = false;
            report = "Failure: Connection reset by peer from the checker's network.";
        }
        else if (latencyMs + faults.LatencyMs[region] > ResponseTimeoutMs)
        {
            success = false;
            report = "Failure: The endpoint did not respond within 2 seconds after the connection was established.";
        }
        else if (faults.ErrorRate[region] > 0 && _random.Chance(faults.ErrorRate[region]))
        {
            success = false;
            report = "Failure: HTTP Status Code 503, Service Unavailable.";
        }
        else
        {
            success = true;
            report = "Success: HTTP Status Code 200, OK";
        }

        checker.LastChecked = now;
        checker.LastSuccess = success;
        checker.LastReport = report;
        if (success)
        {
            checker.ConsecutiveFailures = 0;
            checker.ConsecutiveSuccesses++;
            if (!checker.Healthy && checker.ConsecutiveSuccesses >= check.FailureThreshold)
            {
                checker.Healthy = true;
            }
        }
        else
        {
            checker.ConsecutiveSuccesses = 0;
            checker.ConsecutiveFailures++;
            if (checker.Healthy && checker.ConsecutiveFailures >= check.FailureThreshold)
            {
                checker.Healthy = false;
            }
        }
    }

    private sealed class Checker(string location, string ipAddress, long firstProbe)
    {
        public string Location { get; } = location;

        public string IpAddress { get; } = ipAddress;

        public long NextProbe { get; set; } = firstProbe;

        public bool Healthy { get; set; } = true;

        public int ConsecutiveFailures { get; set; }

        public int ConsecutiveSuccesses { get; set; }

        public DateTimeOffset? LastChecked { get; set; }

        public bool LastSuccess { get; set; } = true;

        public string LastReport { get; set; } = "";
    }
}
