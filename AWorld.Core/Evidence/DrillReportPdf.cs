using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AWorld.Core.Drills;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace AWorld.Core.Evidence;

/// <summary>
/// Renders the after-action report as an A4 PDF: every section of <see cref="DrillReport"/> in order, tables that
/// continue on the next page with their header repeated, and one line chart per metric series with the fault start
/// and recovery marked. The output depends on the report alone: the creation date is the report's and the
/// document id is derived from the drill id, so the same report renders to the same bytes.
/// </summary>
internal sealed class DrillReportPdf : IDisposable
{
    private const double Margin = 50;
    private const double PageWidth = 595.28;  // A4 in points
    private const double PageHeight = 841.89;
    private const double ContentWidth = PageWidth - (2 * Margin);
    private const double Bottom = PageHeight - Margin - 14;

    private static readonly XColor Ink = XColor.FromArgb(20, 24, 31);
    private static readonly XColor Muted = XColor.FromArgb(95, 102, 112);
    private static readonly XColor Rule = XColor.FromArgb(200, 205, 212);
    private static readonly XColor Shade = XColor.FromArgb(236, 239, 243);
    private static readonly XColor[] SeriesColours = [XColor.FromArgb(31, 95, 191), XColor.FromArgb(196, 110, 20), XColor.FromArgb(60, 140, 70)];

    private readonly DrillReport _report;
    private readonly PdfDocument _document = new();
    private readonly XFont _title;
    private readonly XFont _heading;
    private readonly XFont _body;
    private readonly XFont _bold;
    private readonly XFont _small;
    private readonly XFont _smallBold;
    private XGraphics? _page;
    private double _y;

    private DrillReportPdf(DrillReport report)
    {
        ReportFonts.EnsureInstalled();
        _report = report;
        _title = new XFont(ReportFonts.Family, 17, XFontStyleEx.Bold);
        _heading = new XFont(ReportFonts.Family, 11.5, XFontStyleEx.Bold);
        _body = new XFont(ReportFonts.Family, 9, XFontStyleEx.Regular);
        _bold = new XFont(ReportFonts.Family, 9, XFontStyleEx.Bold);
        _small = new XFont(ReportFonts.Family, 7.5, XFontStyleEx.Regular);
        _smallBold = new XFont(ReportFonts.Family, 7.5, XFontStyleEx.Bold);
    }

    /// <summary>The PDF's bytes. <paramref name="compress"/> false leaves content streams readable (for tests).</summary>
    public static byte[] Render(DrillReport report, bool compress = true)
    {
        using var pdf = new DrillReportPdf(report);
        return pdf.Build(compress);
    }

    public void Dispose()
    {
        _page?.Dispose();
        _document.Dispose();
    }

    private byte[] Build(bool compress)
    {
        var r = _report;
        var created = r.SignOff?.At ?? r.EndedAt;
        _document.Info.Title = $"After-action report {r.DrillId}";
        _document.Info.Subject = $"{r.ScenarioDescription} ({(r.Passed ? "PASSED" : "FAILED")})";
        _document.Info.Author = "AWorld Console";
        _document.Info.Creator = "AWorld Console";
        _document.Info.CreationDate = created.UtcDateTime;
        _document.Info.ModificationDate = created.UtcDateTime;
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.DrillId)), 0, 16);
        _document.Internals.FirstDocumentID = id;
        _document.Internals.SecondDocumentID = id;
        _document.Options.NoCompression = !compress;
        _document.Options.CompressContentStreams = compress;

        NewPage();
        Title();
        Section("1. Scope and success criteria");
        Paragraph(r.Scope);
        Facts([
            ("Success criteria", $"RTO at most {Formats.ExactDuration(r.Criteria.MaxRto)}, RPO at most {Formats.ExactDuration(r.Criteria.MaxRpo)}"),
            ("Response", r.Policy == ResponsePolicy.Automatic ? "automatic countermeasures only" : "people approving operations"),
            ("Drill window (UTC)", $"{Formats.UtcDateTime(r.StartedAt)} to {Formats.UtcDateTime(r.EndedAt)} ({Formats.ExactDuration(r.EndedAt - r.StartedAt)})"),
        ]);
        Section("2. Targets");
        Facts([("Estate RTO target", Formats.ExactDuration(r.Targets.Rto)), ("Estate RPO target", Formats.ExactDuration(r.Targets.Rpo))]);
        Section("3. Plan version");
        Paragraph(r.PlanVersion);
        Section("4. Regions");
        Facts([("Regions in scope", Join(r.Regions)), ("Target of the fault", r.TargetRegion)]);
        Section("5. Participants and roles");
        Table(
            [("Name", 0.25), ("Role", 0.2), ("Part", 0.55)],
            Items(r.Participants).Select(p => new[] { p.Name, p.Role, p.Part }).ToList());
        Section("6. Timeline (UTC)");
        Table(
            [("Time (UTC)", 0.2), ("T+", 0.1), ("Event", 0.13), ("Description", 0.42), ("Actor", 0.15)],
            Items(r.Timeline).Select(e => new[] { Formats.UtcDateTime(e.At), Formats.Offset(e.At - r.StartedAt), e.Kind, e.Description, e.Actor ?? "" }).ToList());
        Section("7. Achieved recovery objectives");
        Facts([
            ("Detection", r.Detection is { } detection ? $"{Formats.ExactDuration(detection)} after the fault started" : "not detected"),
            ("RTO", Objective(r.Rto)),
            ("RTO measured by", r.Rto.Method),
            ("RPO", Objective(r.Rpo)),
            ("RPO measured by", r.Rpo.Method),
        ]);
        foreach (var (series, index) in Items(r.Metrics).Select((s, i) => (s, i)))
        {
            Chart(series, SeriesColours[index % SeriesColours.Length]);
        }

        Section("8. Restore integrity");
        if (Items(r.RestoreIntegrity).Length == 0)
        {
            Paragraph("No table was restored in this drill.");
        }
        else
        {
            Table(
                [("Table", 0.2), ("Region", 0.14), ("Restored to (UTC)", 0.2), ("Result", 0.1), ("Detail", 0.36)],
                r.RestoreIntegrity.Select(x => new[] { x.Table, x.Region, x.RestoredTo is { } at ? Formats.UtcDateTime(at) : "not restored", x.Passed ? "PASSED" : "FAILED", x.Detail }).ToList());
        }

        Section("9. Deviations");
        Bullets(Items(r.Deviations), "No deviation from the plan.");
        Section("10. Corrective actions");
        if (Items(r.CorrectiveActions).Length == 0)
        {
            Paragraph("No corrective action.");
        }
        else
        {
            Table(
                [("Action", 0.5), ("Owner", 0.18), ("Due", 0.14), ("Status", 0.18)],
                r.CorrectiveActions.Select(a => new[] { a.Description, a.Owner, a.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.Status }).ToList());
        }

        Section("11. Sign-off");
        if (r.SignOff is { } signOff)
        {
            Facts([("Signed off by", $"{signOff.By} ({signOff.Role})"), ("At (UTC)", Formats.UtcDateTime(signOff.At))]);
        }
        else
        {
            Line("NOT SIGNED OFF", _bold, Ink);
            var missing = r.MissingForSignOff();
            Paragraph(missing.IsEmpty ? "Complete and waiting for sign-off." : $"Still missing for sign-off: {string.Join(", ", missing)}.");
        }

        Section("12. Audit chain head");
        Paragraph(r.AuditChainHead, _body);
        Paragraph("SHA-256 hash of the newest audit entry covered by this report; audit.jsonl in the evidence pack chains up to it.", _small, Muted);
        Section("13. Next drill");
        Paragraph(r.NextDrillDate.ToString("yyyy-MM-dd (dddd)", CultureInfo.InvariantCulture));

        _page?.Dispose();
        _page = null;
        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        var bytes = output.ToArray();
        FixSubsetTags(bytes);
        FixXmpIds(bytes, new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(r.DrillId)).AsSpan(0, 16)));
        return bytes;
    }

    /// <summary>
    /// PDFsharp tags each embedded font subset with six random capitals ("/QWERTY+DejaVuSans", PDF 1.7 §9.6.4).
    /// The tag only has to be unique within the file, so each distinct tag is replaced, in order of first
    /// appearance, by a fixed one of the same length; offsets in the cross-reference table stay valid.
    /// </summary>
    private static void FixSubsetTags(byte[] pdf)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 8 <= pdf.Length; i++)
        {
            if (pdf[i] != (byte)'/' || pdf[i + 7] != (byte)'+' || !IsTag(pdf.AsSpan(i + 1, 6)))
            {
                continue;
            }

            var tag = Encoding.ASCII.GetString(pdf, i + 1, 6);
            if (!tags.TryGetValue(tag, out var fixedTag))
            {
                var n = tags.Count;
                fixedTag = $"AWRD{(char)('A' + (n / 26 % 26))}{(char)('A' + (n % 26))}";
                tags[tag] = fixedTag;
            }

            Encoding.ASCII.GetBytes(fixedTag, pdf.AsSpan(i + 1, 6));
            i += 7;
        }
    }

    /// <summary>
    /// PDFsharp 6.2 writes random uuids as the XMP DocumentID and InstanceID (in an uncompressed metadata stream);
    /// they become one derived from the drill id, same length, so offsets stay valid.
    /// </summary>
    internal static void FixXmpIds(byte[] pdf, Guid id)
    {
        var uuid = Encoding.ASCII.GetBytes(id.ToString("D"));
        foreach (var marker in (ReadOnlySpan<string>)["<xmpMM:DocumentID>uuid:", "<xmpMM:InstanceID>uuid:"])
        {
            var at = pdf.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker));
            if (at >= 0 && at + marker.Length + uuid.Length <= pdf.Length && pdf[at + marker.Length + uuid.Length] == (byte)'<')
            {
                uuid.CopyTo(pdf.AsSpan(at + marker.Length));
            }
        }
    }

    private static bool IsTag(ReadOnlySpan<byte> text)
    {
        foreach (var c in text)
        {
            if (c is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }

    private void Title()
    {
        var r = _report;
        // The drill id gets its own line: with the heading it would run past the margin.
        Line("After-action report", _title, Ink, 22);
        Paragraph(r.DrillId, _title, Ink);
        Paragraph($"{r.ScenarioDescription} — {r.Type}, scenario {r.Scenario}", _body, Muted);
        _y += 4;
        var verdict = r.Passed ? "PASSED" : "FAILED";
        var height = 22.0;
        EnsureSpace(height + 6);
        _page!.DrawRectangle(new XSolidBrush(Shade), Margin, _y, ContentWidth, height);
        _page.DrawRectangle(new XPen(Ink, r.Passed ? 0.75 : 2), Margin, _y, ContentWidth, height);
        _page.DrawString($"Result: {verdict}", _heading, new XSolidBrush(Ink), new XRect(Margin + 8, _y, ContentWidth, height), XStringFormats.CenterLeft);
        _y += height + 4;
        Paragraph(r.Verdict);
    }

    private void NewPage()
    {
        _page?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _page = XGraphics.FromPdfPage(page);
        _page.DrawString(
            $"AWorld Console — after-action report {_report.DrillId} — page {_document.PageCount}",
            _small, new XSolidBrush(Muted), new XPoint(Margin, PageHeight - Margin + 6));
        _y = Margin;
    }

    private void EnsureSpace(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private void Section(string heading)
    {
        EnsureSpace(48); // keep a heading with at least a few lines of its section
        _y += 8;
        _page!.DrawString(heading, _heading, new XSolidBrush(Ink), new XRect(Margin, _y, ContentWidth, 16), XStringFormats.TopLeft);
        _y += 16;
        _page.DrawLine(new XPen(Rule, 0.5), Margin, _y - 2, Margin + ContentWidth, _y - 2);
        _y += 2;
    }

    private void Line(string text, XFont font, XColor colour, double height = 13)
    {
        EnsureSpace(height);
        _page!.DrawString(text, font, new XSolidBrush(colour), new XRect(Margin, _y, ContentWidth, height), XStringFormats.TopLeft);
        _y += height;
    }

    private void Paragraph(string text, XFont? font = null, XColor? colour = null)
    {
        font ??= _body;
        foreach (var line in Wrap(text, font, ContentWidth))
        {
            Line(line, font, colour ?? Ink, font.Size * 1.35);
        }

        _y += 2;
    }

    private void Bullets(ImmutableArray<string> items, string none)
    {
        if (items.Length == 0)
        {
            Paragraph(none);
            return;
        }

        foreach (var item in items)
        {
            var lines = Wrap(item, _body, ContentWidth - 12);
            for (var i = 0; i < lines.Count; i++)
            {
                EnsureSpace(12);
                if (i == 0)
                {
                    _page!.DrawString("•", _body, new XSolidBrush(Ink), new XRect(Margin, _y, 10, 12), XStringFormats.TopLeft);
                }

                _page!.DrawString(lines[i], _body, new XSolidBrush(Ink), new XRect(Margin + 12, _y, ContentWidth - 12, 12), XStringFormats.TopLeft);
                _y += 12;
            }
        }

        _y += 2;
    }

    private void Facts(IReadOnlyList<(string Label, string Value)> facts)
    {
        const double labelWidth = 130;
        foreach (var (label, value) in facts)
        {
            var lines = Wrap(value, _body, ContentWidth - labelWidth);
            for (var i = 0; i < lines.Count; i++)
            {
                EnsureSpace(12);
                if (i == 0)
                {
                    _page!.DrawString(label, _bold, new XSolidBrush(Ink), new XRect(Margin, _y, labelWidth, 12), XStringFormats.TopLeft);
                }

                _page!.DrawString(lines[i], _body, new XSolidBrush(Ink), new XRect(Margin + labelWidth, _y, ContentWidth - labelWidth, 12), XStringFormats.TopLeft);
                _y += 12;
            }
        }

        _y += 2;
    }

    private void Table(IReadOnlyList<(string Header, double Share)> columns, List<string[]> rows)
    {
        const double padding = 3;
        const double lineHeight = 10;
        var widths = columns.Select(c => c.Share * ContentWidth).ToArray();

        void Header()
        {
            EnsureSpace(lineHeight + (2 * padding) + lineHeight);
            _page!.DrawRectangle(new XSolidBrush(Shade), Margin, _y, ContentWidth, lineHeight + (2 * padding));
            var x = Margin;
            for (var c = 0; c < columns.Count; c++)
            {
                _page.DrawString(columns[c].Header, _smallBold, new XSolidBrush(Ink), new XRect(x + padding, _y + padding, widths[c], lineHeight), XStringFormats.TopLeft);
                x += widths[c];
            }

            _y += lineHeight + (2 * padding);
        }

        Header();
        if (rows.Count == 0)
        {
            Line("(none)", _small, Muted);
        }

        foreach (var row in rows)
        {
            var cells = row.Select((text, c) => Wrap(text, _small, widths[c] - (2 * padding))).ToArray();
            var height = (cells.Max(c => c.Count) * lineHeight) + (2 * padding);
            if (_y + height > Bottom)
            {
                NewPage();
                Header();
            }

            var x = Margin;
            for (var c = 0; c < cells.Length; c++)
            {
                for (var l = 0; l < cells[c].Count; l++)
                {
                    _page!.DrawString(cells[c][l], _small, new XSolidBrush(Ink), new XRect(x + padding, _y + padding + (l * lineHeight), widths[c], lineHeight), XStringFormats.TopLeft);
                }

                x += widths[c];
            }

            _y += height;
            _page!.DrawLine(new XPen(Rule, 0.4), Margin, _y, Margin + ContentWidth, _y);
        }

        _y += 6;
    }

    private void Chart(DrillMetricSeries series, XColor colour)
    {
        const double height = 150;
        const double left = 44; // room for the value axis labels
        var points = series.Points.IsDefault ? [] : series.Points;
        EnsureSpace(height + 40);
        _y += 4;
        _page!.DrawString($"{series.Label} ({series.Unit})", _bold, new XSolidBrush(Ink), new XRect(Margin, _y, ContentWidth, 12), XStringFormats.TopLeft);
        _y += 14;
        var plot = new XRect(Margin + left, _y, ContentWidth - left, height);
        _page.DrawRectangle(new XPen(Rule, 0.5), plot);
        var finite = points.Where(p => double.IsFinite(p.Value)).ToList();
        if (finite.Count < 2)
        {
            _page.DrawString("not enough points to draw", _small, new XSolidBrush(Muted), plot, XStringFormats.Center);
            _y += height + 8;
            return;
        }

        var (from, to) = (finite[0].At, finite[^1].At);
        var (min, max) = (finite.Min(p => p.Value), finite.Max(p => p.Value));
        if (max - min < 1e-9)
        {
            (min, max) = (min - 1, max + 1);
        }

        var pad = (max - min) * 0.05;
        (min, max) = (min - pad, max + pad);
        var span = Math.Max(1, (to - from).Ticks);
        double X(DateTimeOffset at) => plot.X + ((double)(at - from).Ticks / span * plot.Width);
        double Y(double value) => plot.Bottom - ((value - min) / (max - min) * plot.Height);

        var grid = new XPen(Shade, 0.5);
        for (var i = 0; i <= 4; i++)
        {
            var value = min + ((max - min) * i / 4);
            var y = Y(value);
            _page.DrawLine(grid, plot.X, y, plot.Right, y);
            _page.DrawString(value.ToString("G4", CultureInfo.InvariantCulture), _small, new XSolidBrush(Muted), new XRect(Margin, y - 5, left - 4, 10), XStringFormats.CenterRight);
        }

        for (var i = 0; i <= 4; i++)
        {
            var at = from + TimeSpan.FromTicks(span * i / 4);
            var label = at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
            _page.DrawString(label, _small, new XSolidBrush(Muted), new XRect(X(at) - 20, plot.Bottom + 2, 40, 10), XStringFormats.TopCenter);
        }

        // Thousands of points share each point-wide column: keep each column's lowest and highest, in time order,
        // so spikes and dips survive and the drawing stays a few hundred segments.
        var line = new List<XPoint>((int)(plot.Width * 2) + 2);
        var start = 0;
        while (start < finite.Count)
        {
            var column = Math.Floor(X(finite[start].At) - plot.X);
            var end = start + 1;
            while (end < finite.Count && Math.Floor(X(finite[end].At) - plot.X) == column)
            {
                end++;
            }

            var (lo, hi) = (start, start);
            for (var i = start + 1; i < end; i++)
            {
                lo = finite[i].Value < finite[lo].Value ? i : lo;
                hi = finite[i].Value > finite[hi].Value ? i : hi;
            }

            line.Add(new XPoint(X(finite[Math.Min(lo, hi)].At), Y(finite[Math.Min(lo, hi)].Value)));
            if (lo != hi)
            {
                line.Add(new XPoint(X(finite[Math.Max(lo, hi)].At), Y(finite[Math.Max(lo, hi)].Value)));
            }

            start = end;
        }

        _page.DrawLines(new XPen(colour, 1) { LineJoin = XLineJoin.Round }, line.ToArray());
        Markers(plot, X, from, finite[^1].At);
        _y += height + 14;
    }

    private void Markers(XRect plot, Func<DateTimeOffset, double> x, DateTimeOffset from, DateTimeOffset to)
    {
        var marks = Items(_report.Timeline)
            .Where(e => e.Kind is DrillEventKinds.FaultStart or DrillEventKinds.Recovery && e.At >= from && e.At <= to)
            .ToList();
        foreach (var mark in marks)
        {
            var fault = mark.Kind == DrillEventKinds.FaultStart;
            // Told apart by dash pattern and label, not by colour alone.
            var pen = new XPen(fault ? XColor.FromArgb(190, 30, 30) : XColor.FromArgb(20, 130, 60), 1) { DashStyle = fault ? XDashStyle.Dash : XDashStyle.Dot };
            var at = x(mark.At);
            _page!.DrawLine(pen, at, plot.Y, at, plot.Bottom);
            var label = fault ? "fault" : "recovered";
            var right = at + 50 < plot.Right;
            _page.DrawString(label, _small, new XSolidBrush(Ink), new XRect(right ? at + 2 : at - 52, plot.Y + 2, 50, 10), right ? XStringFormats.TopLeft : XStringFormats.TopRight);
        }
    }

    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var current = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (_page!.MeasureString(candidate, font).Width <= width)
                {
                    current.Clear().Append(candidate);
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }

                // A word wider than the column (a hash, a long key) is broken by characters.
                var rest = word;
                while (_page.MeasureString(rest, font).Width > width && rest.Length > 1)
                {
                    var fit = rest.Length - 1;
                    while (fit > 1 && _page.MeasureString(rest[..fit], font).Width > width)
                    {
                        fit--;
                    }

                    lines.Add(rest[..fit]);
                    rest = rest[fit..];
                }

                current.Append(rest);
            }

            lines.Add(current.ToString());
        }

        return lines;
    }

    private static ImmutableArray<T> Items<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private static string Join(ImmutableArray<string> items) => items.IsDefaultOrEmpty ? "(none)" : string.Join(", ", items);

    private static string Objective(MeasuredObjective objective) =>
        $"{(objective.Achieved is { } achieved ? Formats.ExactDuration(achieved) : "not reached")} against a target of {Formats.ExactDuration(objective.Target)}: {(objective.Met ? "MET" : "NOT MET")}";
}
