using System.Text.Json;
using AWorld.Core.Evidence;

namespace AWorld.Core.Drills;

/// <summary>Reports and audit slices as JSON, in exactly the form of the evidence pack's report.json and audit.jsonl, for storing them.</summary>
public static class DrillReportJson
{
    public static string Write(DrillReport report) => JsonSerializer.Serialize(report, EvidenceFiles.JsonLine);

    public static DrillReport Read(string json) =>
        JsonSerializer.Deserialize<DrillReport>(json, EvidenceFiles.JsonLine) ?? throw new JsonException("the stored report is empty");

    /// <summary>One entry per line, as audit.jsonl.</summary>
    public static string WriteAudit(IReadOnlyList<AuditEntry> entries) =>
        string.Join('\n', entries.Select(e => JsonSerializer.Serialize(e, EvidenceFiles.JsonLine)));

    public static IReadOnlyList<AuditEntry> ReadAudit(string jsonLines) =>
        [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<AuditEntry>(line, EvidenceFiles.JsonLine) ?? throw new JsonException("an empty audit line"))];
}
