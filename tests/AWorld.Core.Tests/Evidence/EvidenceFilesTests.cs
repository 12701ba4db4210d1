using System.Text;
using System.Text.Json;
using AWorld.Core.Drills;
using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Evidence;

public class EvidenceFilesTests
{
    [Fact]
    public void TimelineCsv_QuotesFieldsWithCommasQuotesAndNewlines()
    {
        var (report, _) = DrillReports.RegionOutage();
        var at = report.StartedAt;
        var odd = report with { Timeline = [new DrillTimelineEvent(at, "note", "lag \"high\", then\nfine", null)] };

        var csv = Encoding.UTF8.GetString(EvidenceFiles.TimelineCsv(odd));

        Assert.Equal("at_utc,kind,description,actor\r\n2026-03-02T09:00:00.0000000Z,note,\"lag \"\"high\"\", then\nfine\",\r\n", csv);
    }

    [Fact]
    public void MetricsCsv_HoldsEveryPointOfEverySeries()
    {
        var (report, _) = DrillReports.RegionOutage(points: 100);

        var lines = Encoding.UTF8.GetString(EvidenceFiles.MetricsCsv(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("series_key,label,unit,at_utc,value", lines[0]);
        Assert.Equal(1 + (3 * 100), lines.Length);
        Assert.StartsWith("clients.success-ratio,Synthetic client success ratio,%,2026-03-02T09:00:00.0000000Z,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ReportJson_IsCamelCase_WithEnumsAsText_AndDurationsInSeconds()
    {
        var (report, _) = DrillReports.RegionOutage(points: 10);

        using var json = JsonDocument.Parse(EvidenceFiles.ReportJson(report));

        var root = json.RootElement;
        Assert.Equal(report.DrillId, root.GetProperty("drillId").GetString());
        Assert.Equal("RegionOutage", root.GetProperty("scenario").GetString());
        Assert.Equal(1800, root.GetProperty("criteria").GetProperty("maxRto").GetDouble());
        Assert.Equal(report.AuditChainHead, root.GetProperty("auditChainHead").GetString());
    }

    [Fact]
    public void ReportJson_PutsEachMetricPointOnOneLine_AndReadsBackToTheSameValues()
    {
        var (report, _) = DrillReports.RegionOutage(points: 50);
        var withGap = report with { Metrics = report.Metrics.SetItem(0, report.Metrics[0] with { Points = report.Metrics[0].Points.SetItem(3, new DrillMetricPoint(report.StartedAt.AddSeconds(3), double.NaN)) }) };

        var bytes = EvidenceFiles.ReportJson(withGap);
        var text = Encoding.UTF8.GetString(bytes);
        var back = JsonSerializer.Deserialize<DrillReport>(bytes, EvidenceFiles.Json)!;

        Assert.Contains("{\"at\":\"2026-03-02T09:00:00.0000000Z\",\"value\":", text, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"NaN\"}", text, StringComparison.Ordinal);
        Assert.Equal(withGap.Metrics.SelectMany(m => m.Points), back.Metrics.SelectMany(m => m.Points));
        Assert.Equal(withGap.Timeline.AsEnumerable(), back.Timeline.AsEnumerable());
        Assert.Equal(withGap.Rto, back.Rto);
        Assert.Equal(withGap.SignOff, back.SignOff);
    }

    [Fact]
    public void AuditJsonl_RoundTripsEachEntryWithItsHash()
    {
        var (_, audit) = DrillReports.RegionOutage();

        var lines = Encoding.UTF8.GetString(EvidenceFiles.AuditJsonl(audit)).TrimEnd('\n').Split('\n');

        Assert.Equal(audit.Length, lines.Length);
        var back = lines.Select(l => JsonSerializer.Deserialize<AuditEntry>(l, EvidenceFiles.JsonLine)!).ToList();
        Assert.Equal(audit, back);
        Assert.All(back, e => Assert.Equal(e.Hash, e.ComputeHash()));
    }
}
