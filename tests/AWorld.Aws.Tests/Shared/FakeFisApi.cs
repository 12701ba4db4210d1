using System.Text.Json;
using System.Text.Json.Nodes;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// Stands in for FIS (moto answers 404 to StartExperiment and ListExperiments): experiments in memory with the
/// documented shapes (service model 2020-12-01), timestamps as epoch seconds, on a <see cref="CaptureServer"/> that
/// records every request. Its wire format is held to botocore's in BotocoreWireFormatTests; this only keeps state.
/// </summary>
public sealed class FakeFisApi : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _experiments = [];
    private readonly TimeProvider _time;
    private int _next = 1;

    public FakeFisApi(TimeProvider time)
    {
        _time = time;
        Server = new CaptureServer(Respond);
    }

    public CaptureServer Server { get; }

    /// <summary>A region whose FIS answers 503 to everything, as in that region's outage; null for none.</summary>
    public string? FailingRegion { get; set; }

    /// <summary>An experiment started elsewhere (the AWS console, say): no tags of ours.</summary>
    public string AddExperiment(string templateId, string status, DateTimeOffset start, DateTimeOffset? end = null)
    {
        lock (_gate)
        {
            var id = $"EXP{_next++:D4}";
            _experiments[id] = Experiment(id, templateId, status, start, end, []);
            return id;
        }
    }

    /// <summary>Ends a running experiment by itself, as when its template's duration runs out.</summary>
    public void Complete(string id)
    {
        lock (_gate)
        {
            _experiments[id]["state"] = State("completed");
            _experiments[id]["endTime"] = Epoch(_time.GetUtcNow());
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private CannedResponse Respond(CapturedRequest request)
    {
        lock (_gate)
        {
            if (FailingRegion is { } failing && request.SigningScope == $"{failing}/fis")
            {
                return CannedResponse.Error(503, "ServiceUnavailableException", "Service unavailable.");
            }

            var path = request.RawPath.TrimEnd('/');
            if (request.Method == "POST" && path == "/experiments")
            {
                var body = JsonNode.Parse(request.Body)!;
                var id = $"EXP{_next++:D4}";
                var tags = body["tags"]?.AsObject().ToDictionary(t => t.Key, t => (string)t.Value!) ?? [];
                _experiments[id] = Experiment(id, (string)body["experimentTemplateId"]!, "running", _time.GetUtcNow(), null, tags);
                return Ok(new JsonObject { ["experiment"] = _experiments[id].DeepClone() });
            }

            if (request.Method == "GET" && path == "/experiments")
            {
                // A summary: no start or end time, as ListExperiments answers.
                var summaries = _experiments.Values.Select(e => (JsonNode)new JsonObject
                {
                    ["id"] = e["id"]!.DeepClone(),
                    ["arn"] = e["arn"]!.DeepClone(),
                    ["experimentTemplateId"] = e["experimentTemplateId"]!.DeepClone(),
                    ["state"] = e["state"]!.DeepClone(),
                    ["creationTime"] = e["creationTime"]!.DeepClone(),
                    ["tags"] = e["tags"]!.DeepClone(),
                });
                return Ok(new JsonObject { ["experiments"] = new JsonArray([.. summaries]) });
            }

            var experimentId = path.StartsWith("/experiments/", StringComparison.Ordinal) ? Uri.UnescapeDataString(path["/experiments/".Length..]) : null;
            if (experimentId is null || !_experiments.TryGetValue(experimentId, out var experiment))
            {
                return CannedResponse.Error(404, "ResourceNotFoundException", $"Experiment {experimentId} not found.");
            }

            if (request.Method == "DELETE")
            {
                experiment["state"] = State("stopped");
                experiment["endTime"] = Epoch(_time.GetUtcNow());
            }

            return Ok(new JsonObject { ["experiment"] = experiment.DeepClone() });
        }
    }

    private static JsonObject Experiment(string id, string templateId, string status, DateTimeOffset start, DateTimeOffset? end, Dictionary<string, string> tags)
    {
        var experiment = new JsonObject
        {
            ["id"] = id,
            ["arn"] = $"arn:aws:fis:eu-west-1:123456789012:experiment/{id}",
            ["experimentTemplateId"] = templateId,
            ["roleArn"] = "arn:aws:iam::123456789012:role/fis",
            ["state"] = State(status),
            ["targets"] = new JsonObject(),
            ["actions"] = new JsonObject(),
            ["stopConditions"] = new JsonArray(new JsonObject { ["source"] = "none" }),
            ["creationTime"] = Epoch(start.AddSeconds(-1)),
            ["startTime"] = Epoch(start),
            ["tags"] = JsonSerializer.SerializeToNode(tags),
        };
        if (end is { } e)
        {
            experiment["endTime"] = Epoch(e);
        }

        return experiment;
    }

    private static JsonObject State(string status) => new() { ["status"] = status, ["reason"] = $"Experiment is {status}." };

    private static JsonValue Epoch(DateTimeOffset at) => JsonValue.Create(Math.Round((at - DateTimeOffset.UnixEpoch).TotalSeconds, 3));

    private static CannedResponse Ok(JsonObject body) => new(200, body.ToJsonString());
}
