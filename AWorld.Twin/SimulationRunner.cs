using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Twin;

/// <summary>A headless run: how long, which seed, which faults (each with its start offset in <see cref="FaultSpec.Delay"/>).</summary>
public sealed record SimulationRun(TimeSpan Duration, long Seed, IReadOnlyList<FaultSpec> Faults);

/// <summary>
/// Runs the twin and the telemetry pipeline on a manual clock as fast as the machine allows, and summarises the
/// run: health transitions as the console judged them, Route 53 status, traffic share actually sent by clients,
/// replication lag per pair, and writes acknowledged, replicated and lost.
/// </summary>
public static class SimulationRunner
{
    /// <summary>
    /// A share change smaller than this is not worth a line in the timeline: with clients re-resolving a weighted
    /// record at random, the share wanders by about 1.5 points on its own.
    /// </summary>
    private const double ShareResolution = 0.05;

    /// <summary>
    /// Runs a fresh twin, built from the same registration as the console (<see cref="HeadlessEstate"/>) with
    /// <paramref name="configuration"/>'s Estate, Simulation and Telemetry sections, and its monitor (no ladder, no
    /// executor: this is the estate left to itself, as it would be without the console acting).
    /// </summary>
    public static async Task<SimulationSummary> RunAsync(IConfiguration configuration, SimulationRun run, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(run.Duration, TimeSpan.Zero);
        await using var world = HeadlessEstate.Create(configuration, new TwinSandbox(), run.Seed);
        var estate = world.Services.GetRequiredService<EstateTopology>();
        var telemetry = world.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var twin = world.Services.GetRequiredService<EstateTwin>();
        var monitor = world.Services.GetRequiredService<EstateMonitor>();
        var clock = world.Clock;
        foreach (var fault in run.Faults)
        {
            twin.Inject(fault, "aworld simulate");
        }

        var n = estate.Regions.Length;
        var health = Enumerable.Range(0, n).Select(_ => new List<HealthTransition>()).ToArray();
        var route53 = Enumerable.Range(0, n).Select(_ => new List<Route53Transition>()).ToArray();
        var shares = Enumerable.Range(0, n).Select(_ => new List<ShareChange>()).ToArray();
        var lags = estate.Tables
            .SelectMany(t => t.Replicas.SelectMany(from => t.Replicas.Where(to => to != from).Select(to => (From: from, To: to))))
            .Distinct()
            .OrderBy(p => estate.Region(p.From).Index).ThenBy(p => estate.Region(p.To).Index)
            .ToDictionary(p => p, _ => new List<float>());
        var seconds = (long)Math.Ceiling(run.Duration.TotalSeconds);
        var pollEvery = Math.Max(1, (long)Math.Round(telemetry.PollInterval.TotalSeconds));

        for (long s = 0; s <= seconds; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var truth = twin.Truth();
            for (var r = 0; r < n; r++)
            {
                var region = truth.Regions[r];
                if (route53[r].Count == 0 || route53[r][^1].Healthy != region.Route53Healthy)
                {
                    route53[r].Add(new Route53Transition(s, region.Route53Healthy));
                }

                var share = Math.Round(region.TrafficShare, 4);
                if (shares[r].Count == 0 || Math.Abs(shares[r][^1].Share - share) >= ShareResolution
                    || ((share == 0 || share == 1) && shares[r][^1].Share != share))
                {
                    shares[r].Add(new ShareChange(s, share));
                }
            }

            foreach (var pair in truth.Pairs.Where(p => !p.SourceDown && s > 0))
            {
                lags[(pair.From, pair.To)].Add((float)pair.LagMs);
            }

            if (s > 0 && s % pollEvery == 0)
            {
                var snapshot = await monitor.PollAsync(cancellationToken);
                for (var r = 0; r < n; r++)
                {
                    var rs = snapshot.Regions[r];
                    var status = rs.Health.ToString();
                    if (health[r].Count == 0 || health[r][^1].Status != status)
                    {
                        health[r].Add(new HealthTransition(s, status, rs.Reasons));
                    }
                }
            }

            if (s == seconds)
            {
                break;
            }

            twin.Step();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var end = twin.Truth();
        var faults = twin.FaultHistory()
            .Select(f => new FaultSummary(
                f.Id,
                f.Spec.Kind.ToString().ToLowerInvariant(),
                f.Spec.Region,
                f.Spec.PeerRegion,
                f.Spec.EffectiveMagnitude,
                (f.StartsAt - twin.StartTime).TotalSeconds,
                f.EndsAt is { } e ? (e - f.StartsAt).TotalSeconds : null))
            .ToList();
        var check = estate.HealthChecks[0];
        return new SimulationSummary(
            run.Seed,
            twin.StartTime,
            seconds,
            new HealthCheckSummary(check.RequestIntervalSeconds, check.FailureThreshold, check.CheckerLocations.Length),
            estate.Dns.TtlSeconds,
            faults,
            estate.Regions.Select(r => new RegionSummary(r.Code, r.Role.ToString(), health[r.Index], route53[r.Index], shares[r.Index])).ToList(),
            lags.Select(kv => Summarise(kv.Key.From, kv.Key.To, kv.Value)).ToList(),
            new WritesSummary(end.Writes.Acknowledged, end.Writes.Replicated, end.Writes.Lost, end.Writes.Pending),
            new ClientsSummary(end.Clients.Requests, end.Clients.Failed,
                end.Clients.Requests > 0 ? Math.Round(1 - ((double)end.Clients.Failed / end.Clients.Requests), 6) : 1));
    }

    private static ReplicationSummary Summarise(string from, string to, List<float> samples)
    {
        if (samples.Count == 0)
        {
            return new ReplicationSummary(from, to, null, null);
        }

        var max = samples.Max();
        samples.Sort();
        var p50 = samples[(samples.Count - 1) / 2];
        return new ReplicationSummary(from, to, Math.Round(max, 1), Math.Round(p50, 1));
    }
}
