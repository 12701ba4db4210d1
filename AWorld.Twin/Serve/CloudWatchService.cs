using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>
/// CloudWatch <c>GetMetricData</c> from the twin's metrics (<see cref="ITelemetrySource"/>), over JSON 1.0 (current
/// SDKs, the CLI v1: epoch-second timestamps) and over the query protocol (older SDKs, the CLI v2 2.9: a form body, XML
/// answers, ISO timestamps). Health check ids in <c>AWS/Route53</c> dimensions are the served ones. Results come in
/// <c>ScanBy</c> order (newest first unless asked otherwise); <c>MaxDatapoints</c> cuts a page, <c>NextToken</c> resumes it.
/// </summary>
internal sealed class CloudWatchService(ITelemetrySource telemetry, TwinIdentifiers ids) : IServedService
{
    public const string Namespace = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private const int DefaultMaxDatapoints = 100_800;
    private const int MaxQueries = 500;
    private const string TokenPrefix = "twin-page:";

    private static readonly WireDialect Json = new(WireProtocol.AwsJson10, "com.amazonaws.cloudwatch#", Namespace, QueryCompatible: true);
    private static readonly WireDialect Query = new(WireProtocol.AwsQuery, XmlNamespace: Namespace);

    public string SigningName => "monitoring";

    public WireDialect DialectOf(HttpRequest request) => request.Headers.ContainsKey("x-amz-target") ? Json : Query;

    public async Task HandleAsync(AwsCall call)
    {
        var json = call.Dialect.IsJsonRpc;
        GetMetricDataInput input;
        if (json)
        {
            if (call.TargetOperation != "GetMetricData")
            {
                throw AwsErrorException.BadRequest("UnknownOperationException", $"The served twin's CloudWatch answers GetMetricData only, not {call.TargetOperation}.");
            }

            input = FromJson(AwsWire.ParseJson(call.Body));
        }
        else
        {
            var form = AwsWire.ParseForm(call.Body);
            var action = form.GetValueOrDefault("Action");
            if (action != "GetMetricData")
            {
                throw AwsErrorException.BadRequest("InvalidAction", $"The served twin's CloudWatch answers GetMetricData only, not '{action}'.");
            }

            input = FromForm(form);
        }

        var page = await AnswerAsync(call.Region, input, call.Http.RequestAborted);
        if (json)
        {
            await call.JsonAsync(ToJson(page));
        }
        else
        {
            await call.XmlAsync(ToXml(page));
        }
    }

    private async Task<MetricDataPage> AnswerAsync(string region, GetMetricDataInput input, CancellationToken cancellationToken)
    {
        if (input.Queries.Count is 0 or > MaxQueries)
        {
            throw AwsErrorException.BadRequest("ValidationError", $"The collection MetricDataQueries must contain between 1 and {MaxQueries} items (got {input.Queries.Count}).");
        }

        if (input.Start >= input.End)
        {
            throw AwsErrorException.BadRequest("ValidationError", "The parameter StartTime must be less than the parameter EndTime.");
        }

        if (input.Queries.Select(q => q.Id).Distinct(StringComparer.Ordinal).Count() != input.Queries.Count)
        {
            throw AwsErrorException.BadRequest("ValidationError", "The values for parameter id in MetricDataQueries are not unique.");
        }

        var queries = new List<MetricDataQuery>();
        foreach (var q in input.Queries)
        {
            if (q.Expression is not null || q.Stat is null)
            {
                throw AwsErrorException.BadRequest("ValidationError", $"MetricDataQueries '{q.Id}': the served twin answers MetricStat queries only, not expressions.");
            }

            if (q.Stat.PeriodSeconds < 1)
            {
                throw AwsErrorException.BadRequest("ValidationError", $"MetricDataQueries '{q.Id}': the period must be at least 1 second.");
            }

            if (q.ReturnData)
            {
                queries.Add(new MetricDataQuery(q.Id, q.Stat with { Dimensions = [.. q.Stat.Dimensions.Select(TwinDimension)] }));
            }
        }

        var answer = await telemetry.GetMetricDataAsync(new GetMetricDataRequest(region, input.Start, input.End, queries), cancellationToken);
        var descending = input.ScanBy != "TimestampAscending";
        var labels = input.Queries.ToDictionary(q => q.Id, q => q.Label ?? q.Stat!.MetricName, StringComparer.Ordinal);
        var skip = ReadToken(input.NextToken);
        var budget = input.MaxDatapoints ?? DefaultMaxDatapoints;
        var results = new List<PageResult>();
        long position = 0;
        foreach (var result in answer.Results)
        {
            var times = result.Timestamps;
            var values = result.Values;
            if (descending)
            {
                times = [.. times.Reverse()];
                values = [.. values.Reverse()];
            }

            var from = (int)Math.Clamp(skip - position, 0, times.Length);
            var take = (int)Math.Clamp(budget, 0, times.Length - from);
            budget -= take;
            position += times.Length;
            var partial = from + take < times.Length;
            results.Add(new PageResult(result.Id, labels[result.Id], times[from..(from + take)], values[from..(from + take)],
                partial ? "PartialData" : result.StatusCode.ToString()));
        }

        var served = skip + results.Sum(r => r.Values.Length);
        return new MetricDataPage(results, served < position ? TokenPrefix + served.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The twin's health check id in place of a served one (the console knows only the served ids).</summary>
    private MetricDimension TwinDimension(MetricDimension d) =>
        d.Name == "HealthCheckId" && ids.TwinHealthCheckId(d.Value) is { } twin ? d with { Value = twin } : d;

    private static long ReadToken(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        return token.StartsWith(TokenPrefix, StringComparison.Ordinal) && long.TryParse(token[TokenPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
            ? skip
            : throw AwsErrorException.BadRequest("InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.");
    }

    private static GetMetricDataInput FromJson(JsonObject body)
    {
        var queries = new List<InputQuery>();
        foreach (var node in body["MetricDataQueries"] as JsonArray ?? [])
        {
            if (node is not JsonObject q)
            {
                continue;
            }

            MetricStat? stat = null;
            if (q["MetricStat"] is JsonObject ms)
            {
                var metric = ms["Metric"] as JsonObject ?? [];
                var dimensions = (metric["Dimensions"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(d => new MetricDimension(d.String("Name") ?? "", d.String("Value") ?? ""))
                    .ToImmutableArray();
                stat = new MetricStat(metric.String("Namespace") ?? "", metric.String("MetricName") ?? "", dimensions, (int)(ms.Long("Period") ?? 0), ms.String("Stat") ?? "");
            }

            queries.Add(new InputQuery(q.Required("Id", "ValidationError"), stat, q.String("Expression"), q.String("Label"), q.Bool("ReturnData") ?? true));
        }

        return new GetMetricDataInput(queries, Time(body["StartTime"], "StartTime"), Time(body["EndTime"], "EndTime"), body.String("NextToken"),
            body.String("ScanBy"), body.Long("MaxDatapoints") is { } max ? (int)max : null);

        static DateTimeOffset Time(JsonNode? node, string name) =>
            AwsWire.TryTimestamp(node, out var t) ? t : throw AwsErrorException.BadRequest("MissingParameter", $"The parameter {name} is required.");
    }

    private static GetMetricDataInput FromForm(Dictionary<string, string> form)
    {
        var queries = new List<InputQuery>();
        for (var n = 1; form.ContainsKey($"MetricDataQueries.member.{n}.Id"); n++)
        {
            var p = $"MetricDataQueries.member.{n}.";
            MetricStat? stat = null;
            if (form.ContainsKey(p + "MetricStat.Metric.MetricName"))
            {
                var dimensions = ImmutableArray.CreateBuilder<MetricDimension>();
                for (var m = 1; form.TryGetValue($"{p}MetricStat.Metric.Dimensions.member.{m}.Name", out var name); m++)
                {
                    dimensions.Add(new MetricDimension(name, form.GetValueOrDefault($"{p}MetricStat.Metric.Dimensions.member.{m}.Value") ?? ""));
                }

                stat = new MetricStat(form.GetValueOrDefault(p + "MetricStat.Metric.Namespace") ?? "", form[p + "MetricStat.Metric.MetricName"], dimensions.ToImmutable(),
                    int.TryParse(form.GetValueOrDefault(p + "MetricStat.Period"), CultureInfo.InvariantCulture, out var period) ? period : 0,
                    form.GetValueOrDefault(p + "MetricStat.Stat") ?? "");
            }

            queries.Add(new InputQuery(form[p + "Id"], stat, form.GetValueOrDefault(p + "Expression"), form.GetValueOrDefault(p + "Label"),
                !string.Equals(form.GetValueOrDefault(p + "ReturnData"), "false", StringComparison.OrdinalIgnoreCase)));
        }

        return new GetMetricDataInput(queries, Time("StartTime"), Time("EndTime"), form.GetValueOrDefault("NextToken"), form.GetValueOrDefault("ScanBy"),
            int.TryParse(form.GetValueOrDefault("MaxDatapoints"), CultureInfo.InvariantCulture, out var max) ? max : null);

        DateTimeOffset Time(string name) =>
            AwsWire.TryTimestamp(form.GetValueOrDefault(name), out var t) ? t : throw AwsErrorException.BadRequest("MissingParameter", $"The parameter {name} is required.");
    }

    private static JsonObject ToJson(MetricDataPage page)
    {
        var results = new JsonArray();
        foreach (var r in page.Results)
        {
            results.Add(new JsonObject
            {
                ["Id"] = r.Id,
                ["Label"] = r.Label,
                ["Timestamps"] = new JsonArray([.. r.Timestamps.Select(AwsWire.Epoch)]),
                ["Values"] = new JsonArray([.. r.Values.Select(v => JsonValue.Create(v))]),
                ["StatusCode"] = r.StatusCode,
                ["Messages"] = new JsonArray(),
            });
        }

        var body = new JsonObject { ["MetricDataResults"] = results, ["Messages"] = new JsonArray() };
        if (page.NextToken is { } token)
        {
            body["NextToken"] = token;
        }

        return body;
    }

    private static XElement ToXml(MetricDataPage page)
    {
        XNamespace x = Namespace;
        var results = page.Results.Select(r => new XElement(x + "member",
            new XElement(x + "Id", r.Id),
            new XElement(x + "Label", r.Label),
            new XElement(x + "Timestamps", r.Timestamps.Select(t => new XElement(x + "member", AwsWire.Iso(t)))),
            new XElement(x + "Values", r.Values.Select(v => new XElement(x + "member", AwsWire.Number(v)))),
            new XElement(x + "StatusCode", r.StatusCode),
            new XElement(x + "Messages")));
        return AwsWire.QueryResponse(Namespace, "GetMetricData",
            new XElement(x + "MetricDataResults", results),
            page.NextToken is { } token ? new XElement(x + "NextToken", token) : null,
            new XElement(x + "Messages"));
    }

    private sealed record InputQuery(string Id, MetricStat? Stat, string? Expression, string? Label, bool ReturnData);

    private sealed record GetMetricDataInput(List<InputQuery> Queries, DateTimeOffset Start, DateTimeOffset End, string? NextToken, string? ScanBy, int? MaxDatapoints);

    private sealed record PageResult(string Id, string Label, DateTimeOffset[] Timestamps, double[] Values, string StatusCode);

    private sealed record MetricDataPage(List<PageResult> Results, string? NextToken);
}
