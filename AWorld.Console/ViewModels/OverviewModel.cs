using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Console.ViewModels;

public enum AlertSeverity
{
    Warning,
    Critical,
}

/// <summary>Something on the estate that needs a person's eyes, in plain words.</summary>
public sealed record Alert(AlertSeverity Severity, string Subject, string Text);

/// <summary>A region card's lines, formatted; stale values are withheld and the card says how old its data is.</summary>
public sealed record RegionCardModel(
    string Code,
    string Name,
    string Role,
    HealthStatus Status,
    IReadOnlyList<string> Reasons,
    string TrafficShare,
    string RequestRate,
    string LatencyP99,
    string ErrorRate,
    string LagIn,
    string LagOut,
    string Checkers,
    string Staleness)
{
    public HealthDisplay Health => HealthDisplay.For(Status);

    public bool IsStale => Staleness.Length > 0;
}

/// <summary>What the Overview shows, derived from one snapshot. Plain data, tested without a renderer.</summary>
public sealed record OverviewModel(
    HealthDisplay Overall,
    IReadOnlyList<RegionCardModel> Regions,
    IReadOnlyList<Alert> Alerts,
    string DataAtRisk,
    string DataAtRiskAge,
    IReadOnlyList<ActiveFault> Faults,
    DateTimeOffset At)
{
    public static OverviewModel From(EstateSnapshot s)
    {
        var cards = s.Regions.Select(r => new RegionCardModel(
            r.Code,
            r.DisplayName,
            r.Role.ToString(),
            r.Health,
            r.Reasons,
            Formats.Percent(r.TrafficShare),
            r.IsStale ? Formats.None : Formats.Rate(r.RequestsPerSecond),
            r.IsStale ? Formats.None : Formats.Milliseconds(r.LatencyP99Ms),
            r.IsStale ? Formats.None : Formats.Percent(r.ErrorRate5xx, 2),
            Formats.Milliseconds(r.LagInMs),
            Formats.Milliseconds(r.LagOutMs),
            r.CheckersHealthyPercent is { } p ? Formats.Percent(p / 100, 0) : Formats.None,
            Formats.Age(r.DataAge, r.IsStale))).ToList();

        return new OverviewModel(
            HealthDisplay.For(s.Overall),
            cards,
            AlertsOf(s),
            Formats.Count(s.DataAtRisk.EstimatedWrites) + " writes",
            s.DataAtRisk.EstimatedWrites > 0 ? "oldest " + Formats.WholeDuration(s.DataAtRisk.OldestAge) : "",
            s.Faults,
            s.At);
    }

    public static IReadOnlyList<Alert> AlertsOf(EstateSnapshot s)
    {
        var alerts = new List<Alert>();
        foreach (var r in s.Regions.Where(r => r.Health != HealthStatus.Healthy))
        {
            var severity = r.Health == HealthStatus.Unhealthy ? AlertSeverity.Critical : AlertSeverity.Warning;
            alerts.Add(new Alert(severity, $"{r.Code} {HealthDisplay.For(r.Health).Label.ToLowerInvariant()}", string.Join(" ", r.Reasons)));
        }

        foreach (var p in s.Replication.Where(p => p.LagMs is not null && (!p.WithinRpo || p.LagMs > 60_000)))
        {
            var severity = p.WithinRpo ? AlertSeverity.Warning : AlertSeverity.Critical;
            alerts.Add(new Alert(severity, $"Replication {p.From} → {p.To}",
                $"Lag {Formats.Milliseconds(p.LagMs)} against an RPO of {Formats.WholeDuration(s.Objectives.Rpo)}; about {Formats.Count(p.EstimatedUnreplicatedWrites)} writes not yet replicated."));
        }

        foreach (var w in s.Pitr.Where(w => w.Error is not null))
        {
            alerts.Add(new Alert(AlertSeverity.Warning, $"PITR {w.Table} in {w.Region}", w.Error!));
        }

        return alerts.OrderByDescending(a => a.Severity).ToList();
    }
}
