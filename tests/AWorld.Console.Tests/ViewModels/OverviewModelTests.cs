using AWorld.Console.ViewModels;
using AWorld.Core;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Console.Tests.ViewModels;

public class OverviewModelTests
{
    [Fact]
    public void StaleRegion_WithholdsItsValues_AndSaysHowOld()
    {
        var model = OverviewModel.From(Snapshot(Region("eu-west-1", HealthStatus.Degraded, stale: true, age: TimeSpan.FromSeconds(95))));

        var card = Assert.Single(model.Regions);
        Assert.Equal("data 1 min 35 s old", card.Staleness);
        Assert.Equal(Formats.None, card.RequestRate);
        Assert.Equal(Formats.None, card.LatencyP99);
    }

    [Fact]
    public void FreshRegion_ShowsFormattedValues()
    {
        var card = OverviewModel.From(Snapshot(Region("eu-west-1", HealthStatus.Healthy, stale: false, age: TimeSpan.FromSeconds(1)))).Regions[0];

        Assert.Equal(("", "1.2k/s", "180 ms", "49.5%"), (card.Staleness, card.RequestRate, card.LatencyP99, card.TrafficShare));
    }

    [Fact]
    public void Alerts_NameUnhealthyRegionsFirst_ThenLagOverTheRpo()
    {
        var snapshot = Snapshot(Region("eu-west-1", HealthStatus.Unhealthy, stale: true, age: TimeSpan.FromMinutes(3))) with
        {
            Replication = [new ReplicationPairSnapshot("eu-central-1", "eu-west-1", 2 * 3_600_000, TimeSpan.Zero, false, false, 1_440_000)],
        };

        var alerts = OverviewModel.AlertsOf(snapshot);

        Assert.Equal(["eu-west-1 unhealthy", "Replication eu-central-1 → eu-west-1"], alerts.Select(a => a.Subject));
        Assert.All(alerts, a => Assert.Equal(AlertSeverity.Critical, a.Severity));
        Assert.Contains("against an RPO of 1 h 0 min", alerts[1].Text, StringComparison.Ordinal);
    }

    private static RegionSnapshot Region(string code, HealthStatus health, bool stale, TimeSpan age) =>
        new(code, "Ireland", RegionRole.Active, health, ["because"], 0.495, 1234, 180, 0.0004, 90, 450, 500, 100, [], age, stale, 40, TimeSpan.FromMilliseconds(450));

    private static EstateSnapshot Snapshot(RegionSnapshot region) =>
        new(1, DateTimeOffset.UnixEpoch, region.Health, [region], [], [], [], new DataAtRisk(40, TimeSpan.FromMilliseconds(450)), new RecoveryObjectives(TimeSpan.FromHours(24), TimeSpan.FromHours(1)), []);
}
