using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using AWorld.Aws.Http;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Aws.Telemetry;

/// <summary>
/// One value published with <c>PutMetricData</c>. A <c>StorageResolution</c> of 1 makes a high-resolution metric
/// (readable at periods under a minute); null is standard (60).
/// </summary>
public sealed record MetricDatum(string MetricName, ImmutableArray<MetricDimension> Dimensions, DateTimeOffset Timestamp, double Value, string? Unit = null, int? StorageResolution = null);

/// <summary>
/// CloudWatch over its JSON 1.0 protocol (<c>X-Amz-Target: GraniteServiceVersion20100801.&lt;Op&gt;</c>, with
/// <c>x-amzn-query-mode: true</c> as the current SDKs send it; timestamps in epoch seconds), on <see cref="AwsHttp"/>.
/// <see cref="GetMetricDataAsync(string, DateTimeOffset, DateTimeOffset, IReadOnlyList{MetricDataQuery}, CancellationToken)"/>
/// aligns the window to each query's period (start and end floored, so the period still being written is left out),
/// sends at most <see cref="MaxQueriesPerCall"/> queries a call, scans oldest first and follows <c>NextToken</c> up to
/// <see cref="AwsOptions.MaxPages"/> pages.
/// </summary>
/// <remarks>Thread-safe and stateless: the HTTP clients, limits and retries live in <see cref="AwsHttp"/>.</remarks>
public sealed class CloudWatchClient : ICloudWatchMetrics
{
    /// <summary>GetMetricData takes at most 500 queries a call.</summary>
    public const int MaxQueriesPerCall = 500;

    /// <summary>PutMetricData takes at most 1,000 values a call.</summary>
    public const int MaxDataPerPut = 1000;

    private const string TargetPrefix = "GraniteServiceVersion20100801.";
    private const string Service = "CloudWatch";

    private readonly AwsHttp _http;

    public CloudWatchClient(AwsHttp http) => _http = http;

    /// <inheritdoc />
    public Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, CancellationToken cancellationToken) =>
        GetMetricDataAsync(region, start, end, queries, maxDatapoints: null, cancellationToken);

    /// <summary>
    /// Reads the queries over [<paramref name="start"/>, <paramref name="end"/>), each window floored to the query's
    /// period. Returns one result per query, in the order of <paramref name="queries"/>, with the query's id; a query
    /// whose window holds no whole period gets an empty, complete result without a call. <paramref name="maxDatapoints"/>
    /// is CloudWatch's <c>MaxDatapoints</c> per page (100,800 when null); more points come on further pages.
    /// </summary>
    /// <exception cref="ArgumentException">Two queries share an id.</exception>
    /// <exception cref="EstateServiceException">CloudWatch refused or failed the call.</exception>
    public async Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(
        string region, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricDataQuery> queries, int? maxDatapoints, CancellationToken cancellationToken)
    {
        var collected = new Dictionary<string, Collected>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (!collected.TryAdd(query.Id, new Collected()))
            {
                throw new ArgumentException($"Two queries have the id '{query.Id}'; GetMetricData needs them unique.", nameof(queries));
            }
        }

        // StartTime and EndTime belong to the call, alignment to the query: one window per period.
        foreach (var byPeriod in queries.GroupBy(q => Math.Max(1, q.MetricStat.PeriodSeconds)))
        {
            var from = Floor(start, byPeriod.Key);
            var to = Floor(end, byPeriod.Key);
            if (to <= from)
            {
                continue;
            }

            foreach (var batch in byPeriod.Chunk(MaxQueriesPerCall))
            {
                await ReadBatchAsync(region, from, to, batch, maxDatapoints, collected, cancellationToken);
            }
        }

        return [.. queries.Select(q => collected[q.Id].ToResult(q.Id))];
    }

    /// <summary>Publishes values (for tests and canaries), at most <see cref="MaxDataPerPut"/> a call. A write: with writes off it is a dry run.</summary>
    /// <exception cref="EstateServiceException">CloudWatch refused the values, or writes are off (<see cref="AwsHttp.DryRunCode"/>).</exception>
    public async Task PutMetricDataAsync(string region, string metricNamespace, IReadOnlyList<MetricDatum> data, CancellationToken cancellationToken)
    {
        foreach (var chunk in data.Chunk(MaxDataPerPut))
        {
            var body = Json(w =>
            {
                w.WriteString("Namespace", metricNamespace);
                w.WriteStartArray("MetricData");
                foreach (var datum in chunk)
                {
                    w.WriteStartObject();
                    w.WriteString("MetricName", datum.MetricName);
                    WriteDimensions(w, datum.Dimensions);
                    w.WriteNumber("Timestamp", datum.Timestamp.ToUnixTimeMilliseconds() / 1000m);
                    w.WriteNumber("Value", datum.Value);
                    if (datum.Unit is not null)
                    {
                        w.WriteString("Unit", datum.Unit);
                    }

                    if (datum.StorageResolution is { } resolution)
                    {
                        w.WriteNumber("StorageResolution", resolution);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            using var response = await _http.SendAsync(Call(region, "PutMetricData", "cloudwatch:PutMetricData", AwsPurpose.Write, body), cancellationToken);
        }
    }

    internal static DateTimeOffset Floor(DateTimeOffset time, int periodSeconds)
    {
        var seconds = time.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds - (((seconds % periodSeconds) + periodSeconds) % periodSeconds));
    }

    private async Task ReadBatchAsync(
        string region, DateTimeOffset from, DateTimeOffset to, MetricDataQuery[] batch, int? maxDatapoints, Dictionary<string, Collected> collected, CancellationToken cancellationToken)
    {
        string? token = null;
        for (var page = 1; ; page++)
        {
            var body = GetMetricDataBody(batch, from, to, token, maxDatapoints);
            string? next;
            using (var response = await _http.SendAsync(Call(region, "GetMetricData", "cloudwatch:GetMetricData", AwsPurpose.Read, body), cancellationToken))
            {
                next = await ReadPageAsync(response, region, collected, cancellationToken);
            }

            if (string.IsNullOrEmpty(next))
            {
                return;
            }

            if (page >= _http.Options.MaxPages)
            {
                // CloudWatch has more: what came back is honest but not the whole window.
                foreach (var query in batch)
                {
                    collected[query.Id].Stopped();
                }

                return;
            }

            token = next;
        }
    }

    private static async Task<string?> ReadPageAsync(HttpResponseMessage response, string region, Dictionary<string, Collected> collected, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            var root = json.RootElement;
            if (root.TryGetProperty("MetricDataResults", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in results.EnumerateArray())
                {
                    // A result for an id that was not asked for (an expression's input, say) is not ours to return.
                    if (result.TryGetProperty("Id", out var id) && collected.TryGetValue(id.GetString() ?? "", out var into))
                    {
                        into.Add(result);
                    }
                }
            }

            return root.TryGetProperty("NextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new EstateServiceException(Service, region, "InvalidResponse", $"GetMetricData answered something that is not a GetMetricData result: {ex.Message}");
        }
    }

    private static byte[] GetMetricDataBody(MetricDataQuery[] batch, DateTimeOffset from, DateTimeOffset to, string? token, int? maxDatapoints) => Json(w =>
    {
        w.WriteStartArray("MetricDataQueries");
        foreach (var query in batch)
        {
            var stat = query.MetricStat;
            w.WriteStartObject();
            w.WriteString("Id", query.Id);
            w.WriteStartObject("MetricStat");
            w.WriteStartObject("Metric");
            w.WriteString("Namespace", stat.Namespace);
            w.WriteString("MetricName", stat.MetricName);
            WriteDimensions(w, stat.Dimensions);
            w.WriteEndObject();
            w.WriteNumber("Period", Math.Max(1, stat.PeriodSeconds));
            w.WriteString("Stat", stat.Stat);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("StartTime", from.ToUnixTimeSeconds());
        w.WriteNumber("EndTime", to.ToUnixTimeSeconds());
        if (token is not null)
        {
            w.WriteString("NextToken", token);
        }

        w.WriteString("ScanBy", "TimestampAscending");
        if (maxDatapoints is { } max)
        {
            w.WriteNumber("MaxDatapoints", max);
        }
    });

    private static void WriteDimensions(Utf8JsonWriter w, ImmutableArray<MetricDimension> dimensions)
    {
        if (dimensions.IsDefaultOrEmpty)
        {
            return;
        }

        w.WriteStartArray("Dimensions");
        foreach (var d in dimensions)
        {
            w.WriteStartObject();
            w.WriteString("Name", d.Name);
            w.WriteString("Value", d.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static AwsCall Call(string region, string operation, string action, AwsPurpose purpose, byte[] body) =>
        new(AwsService.CloudWatch, region, action, purpose, endpoint =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
            request.Headers.Add("X-Amz-Target", TargetPrefix + operation);
            request.Headers.Add("x-amzn-query-mode", "true");
            return request;
        });

    /// <summary>One query's points and status, gathered over the pages.</summary>
    private sealed class Collected
    {
        private readonly List<(DateTimeOffset At, double Value)> _points = [];
        private MetricDataStatus _status = MetricDataStatus.Complete;

        public void Add(JsonElement result)
        {
            var times = result.TryGetProperty("Timestamps", out var t) && t.ValueKind == JsonValueKind.Array ? t : default;
            var values = result.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Array ? v : default;
            if (times.ValueKind == JsonValueKind.Array && values.ValueKind == JsonValueKind.Array)
            {
                using var ts = times.EnumerateArray().GetEnumerator();
                using var vs = values.EnumerateArray().GetEnumerator();
                while (ts.MoveNext() && vs.MoveNext())
                {
                    // CloudWatch never sends a null value; an emulator without a statistic (moto's percentiles) does: no point.
                    if (vs.Current.ValueKind != JsonValueKind.Null)
                    {
                        _points.Add((Timestamp(ts.Current), Number(vs.Current)));
                    }
                }
            }

            var status = result.TryGetProperty("StatusCode", out var s) ? Status(s.GetString()) : MetricDataStatus.Complete;

            // A later page settles PartialData (there was more); an error or a refusal on any page stays.
            _status = _status is MetricDataStatus.InternalError or MetricDataStatus.Forbidden
                ? (MetricDataStatus)Math.Max((int)_status, (int)status)
                : status;
        }

        public void Stopped()
        {
            if (_status == MetricDataStatus.Complete)
            {
                _status = MetricDataStatus.PartialData;
            }
        }

        public MetricDataResult ToResult(string id)
        {
            // Oldest first even if a server ignored ScanBy; a stable sort keeps the order of equal timestamps.
            var ordered = _points.OrderBy(p => p.At).ToArray();
            return new MetricDataResult(id, [.. ordered.Select(p => p.At)], [.. ordered.Select(p => p.Value)], _status);
        }

        private static MetricDataStatus Status(string? code) => code switch
        {
            null or "Complete" => MetricDataStatus.Complete,
            "PartialData" => MetricDataStatus.PartialData,
            "Forbidden" => MetricDataStatus.Forbidden,
            _ => MetricDataStatus.InternalError,
        };

        // JSON 1.0 timestamps are epoch seconds, possibly fractional.
        private static DateTimeOffset Timestamp(JsonElement e) =>
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(e.GetDouble() * 1000, MidpointRounding.AwayFromZero));

        // Doubles that JSON cannot write come as strings ("NaN", "Infinity", "-Infinity").
        private static double Number(JsonElement e) =>
            e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : e.GetDouble();
    }
}
