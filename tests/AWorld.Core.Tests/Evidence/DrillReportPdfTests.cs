using AWorld.Core.Evidence;
using AWorld.Core.Tests.Shared;
using PdfSharp.Pdf.IO;

namespace AWorld.Core.Tests.Evidence;

public class DrillReportPdfTests
{
    [Fact]
    public void Render_GivesAnA4Pdf_TitledWithTheDrill_OverSeveralPages()
    {
        var (report, _) = DrillReports.RegionOutage();

        var pdf = DrillReportPdf.Render(report);

        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.True(document.PageCount >= 2, $"{document.PageCount} pages");
        Assert.Contains(report.DrillId, document.Info.Title, StringComparison.Ordinal);
        Assert.Contains("PASSED", document.Info.Subject, StringComparison.Ordinal);
        Assert.Equal(595, document.Pages[0].Width.Point, 0);
        Assert.Equal(842, document.Pages[0].Height.Point, 0);
    }

    [Fact]
    public void Render_OfALongTimeline_AddsPages()
    {
        var (report, _) = DrillReports.RegionOutage();
        var longer = report with
        {
            Timeline = [.. Enumerable.Range(0, 300).Select(i => report.Timeline[i % report.Timeline.Length] with { At = report.StartedAt.AddSeconds(i) })],
        };

        using var shortDoc = PdfReader.Open(new MemoryStream(DrillReportPdf.Render(report)), PdfDocumentOpenMode.Import);
        using var longDoc = PdfReader.Open(new MemoryStream(DrillReportPdf.Render(longer)), PdfDocumentOpenMode.Import);

        Assert.True(longDoc.PageCount >= shortDoc.PageCount + 5, $"{shortDoc.PageCount} → {longDoc.PageCount} pages");
    }

    [Fact]
    public void Render_IsDeterministic()
    {
        var (report, _) = DrillReports.RegionOutage();

        Assert.Equal(DrillReportPdf.Render(report), DrillReportPdf.Render(report));
    }

    [Fact]
    public void Render_WithoutSignOff_SaysSo()
    {
        var (report, _) = DrillReports.RegionOutage();
        var unsigned = report with { SignOff = null, Passed = false };

        var pdf = DrillReportPdf.Render(unsigned, compress: false);

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Contains("FAILED", document.Info.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void FontSearch_InADirectoryWithoutFonts_FindsNone()
    {
        using var empty = new TempDirectory();

        Assert.Null(ReportFonts.Find([empty.Path, Path.Combine(empty.Path, "absent")]));
    }

    [Fact]
    public void FontSearch_FindsARegularAndBoldPair()
    {
        using var fonts = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(fonts.Path, "truetype", "dejavu"));
        File.WriteAllText(Path.Combine(fonts.Path, "truetype", "dejavu", "DejaVuSans.ttf"), "");
        Assert.Null(ReportFonts.Find([fonts.Path]));

        File.WriteAllText(Path.Combine(fonts.Path, "truetype", "dejavu", "DejaVuSans-Bold.ttf"), "");

        var found = ReportFonts.Find([fonts.Path]);
        Assert.NotNull(found);
        Assert.EndsWith("DejaVuSans-Bold.ttf", found.Value.Bold, StringComparison.Ordinal);
    }
}
