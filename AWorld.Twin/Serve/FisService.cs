using System.Globalization;
using System.Text.Json.Nodes;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Twin.Serve;

/// <summary>
/// AWS FIS over REST-JSON, injecting the twin's faults (<see cref="IFaultInjector"/>): one experiment template per fault
/// kind and region (<see cref="TwinIdentifiers.TemplateId"/>, living in that region), each injecting its fault with the
/// kind's default magnitude until the experiment is stopped (a partition with the next region of the estate, a throttle
/// storm from tenant-03). StartExperiment is idempotent by client token; an experiment is pending until its fault
/// starts, running while it runs, stopping when asked to stop and stopped once its fault is over.
/// </summary>
internal sealed class FisService(EstateTopology estate, IFaultInjector faults, [FromKeyedServices(EstateClock.Key)] TimeProvider clock) : IServedService
{
    private const string StormClient = "tenant-03";
    private static readonly WireDialect Dialect = new(WireProtocol.RestJson);

    private readonly Lock _gate = new();
    private readonly List<Experiment> _experiments = [];

    public string SigningName => "fis";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    /// <summary>Every template of the estate: its id, region, kind and the fault it injects.</summary>
    public static IEnumerable<(string Id, string Region, FaultKind Kind, FaultSpec Spec)> Templates(EstateTopology estate) =>
        from region in estate.Regions
        from kind in Enum.GetValues<FaultKind>()
        where kind != FaultKind.Partition || estate.Regions.Length > 1
        select (TwinIdentifiers.TemplateId(TwinIdentifiers.KindName(kind), region.Code), region.Code, kind, SpecOf(estate, kind, region));

    public async Task HandleAsync(AwsCall call)
    {
        var ct = call.Http.RequestAborted;
        JsonObject answer = (call.Method, call.Segments("/")) switch
        {
            ("POST", ["experiments"]) => await StartAsync(call, ct),
            ("GET", ["experiments"]) => await ListAsync(call, ct),
            ("GET", ["experiments", var id]) => new JsonObject { ["experiment"] = Describe(Find(id, call.Region), await faults.HistoryAsync(ct), false) },
            ("DELETE", ["experiments", var id]) => await StopAsync(Find(id, call.Region), ct),
            ("GET", ["experimentTemplates"]) => new JsonObject { ["experimentTemplates"] = new JsonArray([.. Templates(estate).Where(t => t.Region == call.Region).Select(t => TemplateSummary(t))]) },
            ("GET", ["experimentTemplates", var id]) => new JsonObject { ["experimentTemplate"] = TemplateSummary(Template(id, call.Region)) },
            _ => throw call.UnknownOperation(),
        };
        await call.JsonAsync(answer);
    }

    private async Task<JsonObject> StartAsync(AwsCall call, CancellationToken ct)
    {
        var body = AwsWire.ParseJson(call.Body);
        var template = Template(body.Required("experimentTemplateId"), call.Region);
        var token = body.Required("clientToken");
        Experiment experiment;
        lock (_gate)
        {
            var earlier = _experiments.Find(e => e.ClientToken == token && e.Region == call.Region);
            if (earlier is not null)
            {
                return earlier.TemplateId == template.Id
                    ? new JsonObject { ["experiment"] = Describe(earlier, [], false) }
                    : throw new AwsErrorException(409, "ConflictException", $"The client token {token} was used to start experiment {earlier.Id} from another template.");
            }

            experiment = new Experiment(TwinIdentifiers.ExperimentId(_experiments.Count + 1), template.Id, call.Region, template.Kind, token, clock.GetUtcNow(), Tags(body));
            _experiments.Add(experiment);
        }

        var fault = await faults.InjectAsync(template.Spec, "fis:" + experiment.Id, ct);
        experiment.FaultId = fault.Id;
        return new JsonObject { ["experiment"] = Describe(experiment, [fault], false) };
    }

    private async Task<JsonObject> ListAsync(AwsCall call, CancellationToken ct)
    {
        var history = await faults.HistoryAsync(ct);
        var filter = call.Query("experimentTemplateId");
        var max = int.TryParse(call.Query("maxResults"), CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 100 ? m : 100;
        var skip = int.TryParse(call.Query("nextToken"), CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : 0;
        List<Experiment> all;
        lock (_gate)
        {
            all = [.. _experiments.Where(e => e.Region == call.Region && (filter is null || e.TemplateId == filter)).Reverse()];
        }

        var page = all.Skip(skip).Take(max).Select(e => Summary(Describe(e, history, false))).ToList();
        var answer = new JsonObject { ["experiments"] = new JsonArray([.. page]) };
        if (skip + page.Count < all.Count)
        {
            answer["nextToken"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return answer;

        static JsonObject Summary(JsonObject e) => new()
        {
            ["id"] = e["id"]!.DeepClone(),
            ["arn"] = e["arn"]!.DeepClone(),
            ["experimentTemplateId"] = e["experimentTemplateId"]!.DeepClone(),
            ["state"] = e["state"]!.DeepClone(),
            ["creationTime"] = e["creationTime"]!.DeepClone(),
            ["tags"] = e["tags"]!.DeepClone(),
        };
    }

    private async Task<JsonObject> StopAsync(Experiment experiment, CancellationToken ct)
    {
        var stopping = experiment.FaultId is { } id && await faults.ClearAsync(id, ct);
        experiment.StopRequested = true;
        return new JsonObject { ["experiment"] = Describe(experiment, await faults.HistoryAsync(ct), stopping) };
    }

    private Experiment Find(string id, string region)
    {
        lock (_gate)
        {
            return _experiments.Find(e => e.Id == id && e.Region == region)
                ?? throw AwsErrorException.NotFound("ResourceNotFoundException", $"Experiment {id} not found in {region}.");
        }
    }

    private (string Id, string Region, FaultKind Kind, FaultSpec Spec) Template(string id, string region)
    {
        var found = Templates(estate).FirstOrDefault(t => t.Id == id);
        return found.Id is not null && found.Region == region
            ? found
            : throw AwsErrorException.NotFound("ResourceNotFoundException", found.Id is null
                ? $"Experiment template {id} not found."
                : $"Experiment template {id} not found in {region}: it lives in {found.Region}.");
    }

    private static FaultSpec SpecOf(EstateTopology estate, FaultKind kind, Region region) => kind switch
    {
        FaultKind.Partition => new FaultSpec(kind, region.Code, PeerRegion: estate.Regions[(region.Index + 1) % estate.Regions.Length].Code),
        FaultKind.Throttle => new FaultSpec(kind, region.Code, Client: StormClient),
        _ => new FaultSpec(kind, region.Code),
    };

    private JsonObject Describe(Experiment e, IReadOnlyList<ActiveFault> history, bool stopping)
    {
        var fault = history.FirstOrDefault(f => f.Id == e.FaultId);
        var now = clock.GetUtcNow();
        var (status, reason) = fault switch
        {
            _ when stopping => ("stopping", "Stopping experiment."),
            null => ("initiating", "Experiment is initiating."),
            { EndsAt: { } end } when end <= now => (e.StopRequested ? "stopped" : "completed", e.StopRequested ? "Experiment stopped." : "Experiment completed."),
            { StartsAt: var start } when start > now => ("pending", "Experiment is pending."),
            _ => ("running", "Experiment is running."),
        };
        var action = new JsonObject
        {
            ["actionId"] = "aworld:twin:" + TwinIdentifiers.KindName(e.Kind),
            ["description"] = $"Inject the twin's {TwinIdentifiers.KindName(e.Kind)} fault in {e.Region}",
            ["parameters"] = new JsonObject { ["faultId"] = e.FaultId ?? "" },
            ["state"] = new JsonObject { ["status"] = status == "running" ? "running" : status is "stopped" or "completed" ? "completed" : "pending", ["reason"] = reason },
        };
        var experiment = new JsonObject
        {
            ["id"] = e.Id,
            ["arn"] = $"arn:aws:fis:{e.Region}:{TwinCredentials.AccountId}:experiment/{e.Id}",
            ["experimentTemplateId"] = e.TemplateId,
            ["roleArn"] = $"arn:aws:iam::{TwinCredentials.AccountId}:role/aworld-twin-fis",
            ["state"] = new JsonObject { ["status"] = status, ["reason"] = reason },
            ["targets"] = new JsonObject(),
            ["actions"] = new JsonObject { ["inject"] = action },
            ["stopConditions"] = new JsonArray(new JsonObject { ["source"] = "none" }),
            ["creationTime"] = AwsWire.Epoch(e.CreatedAt),
            ["tags"] = new JsonObject([.. e.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        };
        if (fault is not null)
        {
            experiment["startTime"] = AwsWire.Epoch(fault.StartsAt);
            if (fault.EndsAt is { } end && end <= now)
            {
                experiment["endTime"] = AwsWire.Epoch(end);
            }
        }

        return experiment;
    }

    private static JsonObject TemplateSummary((string Id, string Region, FaultKind Kind, FaultSpec Spec) t) => new()
    {
        ["id"] = t.Id,
        ["arn"] = $"arn:aws:fis:{t.Region}:{TwinCredentials.AccountId}:experiment-template/{t.Id}",
        ["description"] = $"AWorld twin: {TwinIdentifiers.KindName(t.Kind)} in {t.Region}" + (t.Spec.PeerRegion is { } peer ? $" and {peer}" : ""),
        ["tags"] = new JsonObject { ["aworld:fault"] = TwinIdentifiers.KindName(t.Kind), ["aworld:region"] = t.Region },
    };

    private static Dictionary<string, string> Tags(JsonObject body) =>
        (body["tags"] as JsonObject ?? []).Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);

    private sealed class Experiment(string id, string templateId, string region, FaultKind kind, string clientToken, DateTimeOffset createdAt, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;

        public string TemplateId { get; } = templateId;

        public string Region { get; } = region;

        public FaultKind Kind { get; } = kind;

        public string ClientToken { get; } = clientToken;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public Dictionary<string, string> Tags { get; } = tags;

        public string? FaultId { get; set; }

        public bool StopRequested { get; set; }
    }
}
