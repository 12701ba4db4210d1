using AWorld.Cli.Watch;
using AWorld.Core.Telemetry;

namespace AWorld.Cli.Tests.Watch;

public class WatchViewTests
{
    [Fact]
    public void Plain_ShowsEveryRegionWithItsHealthWord_AndTheStaleRegionsDataAge()
    {
        var text = WatchView.Render(Snapshots.WithCentralDown(), ansi: false);

        var lines = text.Split('\n');
        Assert.StartsWith("AWorld estate  Degraded  at 2026-11-27 06:22:47 UTC  #1234", lines[0], StringComparison.Ordinal);
        var west = Assert.Single(lines, l => l.StartsWith("eu-west-1 ", StringComparison.Ordinal));
        var central = Assert.Single(lines, l => l.StartsWith("eu-central-1 ", StringComparison.Ordinal));
        var north = Assert.Single(lines, l => l.StartsWith("eu-north-1 ", StringComparison.Ordinal));
        Assert.Contains("Healthy", west, StringComparison.Ordinal);
        Assert.Contains("99.8%", west, StringComparison.Ordinal);
        Assert.Contains("182 ms", west, StringComparison.Ordinal);
        Assert.Contains("0.12%", west, StringComparison.Ordinal);
        Assert.Contains("Unhealthy", central, StringComparison.Ordinal);
        Assert.EndsWith("data 95 s old", central, StringComparison.Ordinal);
        Assert.Contains("Healthy", north, StringComparison.Ordinal);
        Assert.DoesNotContain("old", west, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_ListsReplicationDataAtRiskAndFaults()
    {
        var text = WatchView.Render(Snapshots.WithCentralDown(), ansi: false);

        Assert.Contains("Replication (RPO 5 s)", text, StringComparison.Ordinal);
        Assert.Matches(@"eu-west-1 -> eu-north-1\s+lag\s+640 ms\s+within RPO: yes", text);
        Assert.Matches(@"eu-central-1 -> eu-west-1\s+lag\s+20 min 50 s\s+within RPO: no\s+data 95 s old", text);
        Assert.Matches(@"eu-north-1 -> eu-west-1\s+lag\s+-\s+within RPO: unknown\s+no data yet", text);
        Assert.Contains("Data at risk: ~264 writes, oldest 640 ms", text, StringComparison.Ordinal);
        Assert.Contains("outage eu-central-1 since 06:20:47Z until 06:40:47Z (by operator)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_HasNoEscapeCharacters()
    {
        var text = WatchView.Render(Snapshots.WithCentralDown(), ansi: false);

        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Ansi_ColoursTheHealthWords_ButStillSpellsThemOut()
    {
        var text = WatchView.Render(Snapshots.WithCentralDown(), ansi: true);

        Assert.Contains("\u001b[1;31mUnhealthy\u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[32mHealthy\u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[33mDegraded\u001b[0m", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ansi_KeepsColumnsAlignedWithPlain()
    {
        var plain = WatchView.Render(Snapshots.WithCentralDown(), ansi: false);
        var ansi = WatchView.Render(Snapshots.WithCentralDown(), ansi: true);

        Assert.Equal(plain, System.Text.RegularExpressions.Regex.Replace(ansi, @"\u001b\[[0-9;]*m", ""));
    }

    [Fact]
    public void EmptySnapshot_BeforeAnyDataArrives_RendersWithoutFailing()
    {
        var empty = Snapshots.WithCentralDown() with { Overall = HealthStatus.Unknown, Regions = [], Replication = [], Faults = default, Pitr = default };

        var text = WatchView.Render(empty, ansi: false);

        Assert.Contains("Unknown", text, StringComparison.Ordinal);
        Assert.Contains("no replication data", text, StringComparison.Ordinal);
        Assert.Contains("Active faults: none", text, StringComparison.Ordinal);
    }
}
