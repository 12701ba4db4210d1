using System.Globalization;
using System.Text;
using AWorld.Core;
using AWorld.Twin;

namespace AWorld.Cli.Simulate;

/// <summary>The human-readable form of a simulation summary.</summary>
internal static class SummaryText
{
    public static string Format(SimulationSummary s)
    {
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.AppendLine(inv, $"Simulated {TimeSpan.FromSeconds(s.DurationSeconds)} from {Formats.UtcStamp(s.StartTime)}, seed {s.Seed}");
        b.AppendLine(inv, $"Route 53: {s.HealthCheck.IntervalSeconds} s interval, threshold {s.HealthCheck.FailureThreshold}, {s.HealthCheck.CheckerLocations} checker locations; DNS TTL {s.DnsTtlSeconds} s");
        foreach (var f in s.Faults)
        {
            var target = f.PeerRegion is null ? f.Region : $"{f.Region}-{f.PeerRegion}";
            var until = f.DurationSeconds is { } d ? $"for {At(d)}" : "until the end";
            b.AppendLine(inv, $"Fault {f.Id}: {f.Kind} {target} at {At(f.AtSeconds)} {until}");
        }

        b.AppendLine();
        foreach (var r in s.Regions)
        {
            b.AppendLine(inv, $"{r.Code} ({r.Role})");
            b.Append("  health:  ").AppendJoin(" → ", r.HealthTransitions.Select(t => $"{At(t.AtSeconds)} {t.Status}")).AppendLine();
            b.Append("  route 53: ").AppendJoin(" → ", r.Route53Transitions.Select(t => $"{At(t.AtSeconds)} {(t.Healthy ? "healthy" : "unhealthy")}")).AppendLine();
            var shares = r.TrafficShareTimeline;
            b.AppendLine(inv, $"  traffic: {shares[0].Share:P1} at start, {shares[^1].Share:P1} at {At(shares[^1].AtSeconds)}, {shares.Count} changes");
        }

        b.AppendLine();
        b.AppendLine("Replication lag (p50 / max):");
        foreach (var p in s.Replication)
        {
            b.AppendLine(p.P50LagMs is null
                ? $"  {p.From,-14} → {p.To,-14} no writes to replicate"
                : string.Create(inv, $"  {p.From,-14} → {p.To,-14} {p.P50LagMs,8:0.0} ms / {p.MaxLagMs,12:0.0} ms"));
        }

        b.AppendLine();
        b.AppendLine(inv, $"Writes: {s.Writes.Acknowledged:N0} acknowledged, {s.Writes.Replicated:N0} replicated, {s.Writes.Lost:N0} lost, {s.Writes.Pending:N0} pending");
        b.AppendLine(inv, $"Clients: {s.Clients.Requests:N0} requests, {s.Clients.Failed:N0} failed ({s.Clients.SuccessRate:P3} success)");
        return b.ToString();
    }

    private static string At(double seconds) => Formats.Elapsed(TimeSpan.FromSeconds(seconds));
}
