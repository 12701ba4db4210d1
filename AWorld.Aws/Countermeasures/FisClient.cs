using System.Globalization;
using AWorld.Aws.Http;
using AWorld.Core.Estate;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// A FIS experiment as <c>GetExperiment</c>, <c>StartExperiment</c> and <c>StopExperiment</c> return it, or as a
/// <c>ListExperiments</c> summary (which carries no <see cref="StartTime"/> nor <see cref="EndTime"/>).
/// </summary>
public sealed record FisExperiment
{
    public string Id { get; init; } = "";

    public string? Arn { get; init; }

    public string? ExperimentTemplateId { get; init; }

    public FisExperimentState? State { get; init; }

    public DateTimeOffset? CreationTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>pending, initiating, running, stopping, or one of the ends: completed, stopped, failed, cancelled.</summary>
    public string Status => State?.Status ?? "";

    public bool IsOver => Status is "completed" or "stopped" or "failed" or "cancelled";
}

public sealed record FisExperimentState(string? Status, string? Reason);

/// <summary>
/// The AWS FIS experiment calls over REST-JSON signed for <c>fis</c>: <c>POST /experiments</c> (with an idempotency
/// <c>clientToken</c>, so that a retried start starts one experiment), <c>DELETE /experiments/{id}</c>,
/// <c>GET /experiments</c> (every <c>nextToken</c> page, 100 a page) and <c>GET /experiments/{id}</c>.
/// </summary>
/// <remarks>Thread-safe; stateless over <see cref="AwsHttp"/>.</remarks>
public sealed class FisClient(AwsHttp http)
{
    private const int PageSize = 100;

    /// <summary>Starts an experiment from a template; <paramref name="clientToken"/> makes retries of the same start idempotent.</summary>
    public async Task<FisExperiment> StartExperimentAsync(string region, string experimentTemplateId, string clientToken, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        (await RestJson.ReadAsync<ExperimentResponse>(await http.SendAsync(
            Call(region, "fis:StartExperiment", AwsPurpose.Write, HttpMethod.Post, "experiments", body: new { clientToken, experimentTemplateId, tags = tags.Count > 0 ? tags : null }),
            cancellationToken), cancellationToken)).Experiment ?? throw Malformed(region, "StartExperiment");

    /// <summary>Stops a running experiment; FIS rolls its actions back and the experiment ends as <c>stopped</c>.</summary>
    public async Task<FisExperiment> StopExperimentAsync(string region, string id, CancellationToken cancellationToken) =>
        (await RestJson.ReadAsync<ExperimentResponse>(await http.SendAsync(
            Call(region, "fis:StopExperiment", AwsPurpose.Write, HttpMethod.Delete, $"experiments/{RestJson.Label(id)}"),
            cancellationToken), cancellationToken)).Experiment ?? throw Malformed(region, "StopExperiment");

    public async Task<FisExperiment> GetExperimentAsync(string region, string id, CancellationToken cancellationToken) =>
        (await RestJson.ReadAsync<ExperimentResponse>(await http.SendAsync(
            Call(region, "fis:GetExperiment", AwsPurpose.Read, HttpMethod.Get, $"experiments/{RestJson.Label(id)}"),
            cancellationToken), cancellationToken)).Experiment ?? throw Malformed(region, "GetExperiment");

    /// <summary>Every experiment of the account in the region, in every state (summaries: no start or end times).</summary>
    public async Task<IReadOnlyList<FisExperiment>> ListExperimentsAsync(string region, CancellationToken cancellationToken)
    {
        var experiments = new List<FisExperiment>();
        string? next = null;
        // Bounded: FIS keeps experiments for 120 days; 50 pages of 100 is far beyond what drills start.
        for (var page = 0; page < 50; page++)
        {
            var query = new List<(string, string?)> { ("maxResults", PageSize.ToString(CultureInfo.InvariantCulture)), ("nextToken", next) };
            var result = await RestJson.ReadAsync<ListResponse>(await http.SendAsync(
                Call(region, "fis:ListExperiments", AwsPurpose.Read, HttpMethod.Get, "experiments", query), cancellationToken), cancellationToken);
            experiments.AddRange(result.Experiments ?? []);
            if (string.IsNullOrEmpty(result.NextToken) || result.NextToken == next)
            {
                return experiments;
            }

            next = result.NextToken;
        }

        throw new EstateServiceException(AwsServices.DisplayName(AwsService.Fis), region, "TooManyPages", $"ListExperiments returned more than 50 pages of {PageSize}; the console stops there.");
    }

    private static AwsCall Call(string region, string action, AwsPurpose purpose, HttpMethod method, string path, IEnumerable<(string, string?)>? query = null, object? body = null) =>
        new(AwsService.Fis, region, action, purpose, endpoint => RestJson.Request(method, endpoint, path, query, body));

    private static EstateServiceException Malformed(string region, string operation) =>
        new(AwsServices.DisplayName(AwsService.Fis), region, "MalformedResponse", $"{operation} answered without an experiment.");

    private sealed record ExperimentResponse(FisExperiment? Experiment);

    private sealed record ListResponse(IReadOnlyList<FisExperiment>? Experiments, string? NextToken);
}
