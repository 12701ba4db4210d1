using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Twin.Serve;

/// <summary>
/// SSM Parameter Store over JSON 1.1 (<c>AmazonSSM.GetParameter</c>, <c>PutParameter</c>), holding only the table-routing
/// parameters <c>/aworld/{table}/{region}/active-table</c> of the estate's tables, backed by the twin's
/// <see cref="ITableRouting"/>: the value is the physical table the region's application uses. Each starts at version 1
/// (the logical table itself); every put that changes it (with <c>Overwrite</c>) adds a version. The same parameters
/// answer in every region's SSM.
/// </summary>
internal sealed partial class SsmService(EstateTopology estate, ITableRouting routing, [FromKeyedServices(EstateClock.Key)] TimeProvider clock) : IServedService
{
    public const string ParameterPattern = TwinSettings.TableRoutingParameter;
    private static readonly WireDialect Dialect = new(WireProtocol.AwsJson11, "com.amazonaws.ssm#");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Version, DateTimeOffset Modified)> _versions = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _created = clock.GetUtcNow();

    public string SigningName => "ssm";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var body = AwsWire.ParseJson(call.Body);
        var ct = call.Http.RequestAborted;
        try
        {
            JsonObject answer = call.TargetOperation switch
            {
                "GetParameter" => await GetAsync(body.Required("Name"), call.Region, ct),
                "PutParameter" => await PutAsync(body, ct),
                _ => throw AwsErrorException.BadRequest("UnknownOperationException", $"The served twin's SSM has no operation {call.TargetOperation}."),
            };
            await call.JsonAsync(answer);
        }
        catch (EstateServiceException e)
        {
            throw AwsErrorException.From(e, rename: code => code == "ResourceNotFoundException" ? "ValidationException" : code);
        }
    }

    private async Task<JsonObject> GetAsync(string name, string region, CancellationToken ct)
    {
        var (table, tableRegion) = Parse(name) ?? throw AwsErrorException.BadRequest("ParameterNotFound", $"Parameter {name} not found.");
        var value = await routing.GetActiveTableAsync(table, tableRegion, ct);
        var (version, modified) = Version(name);
        return new JsonObject
        {
            ["Parameter"] = new JsonObject
            {
                ["Name"] = name,
                ["Type"] = "String",
                ["Value"] = value,
                ["Version"] = version,
                ["LastModifiedDate"] = AwsWire.Epoch(modified),
                ["ARN"] = $"arn:aws:ssm:{region}:{TwinCredentials.AccountId}:parameter{name}",
                ["DataType"] = "text",
            },
        };
    }

    private async Task<JsonObject> PutAsync(JsonObject body, CancellationToken ct)
    {
        var name = body.Required("Name");
        var value = body.Required("Value");
        var (table, region) = Parse(name)
            ?? throw AwsErrorException.BadRequest("ValidationException", $"The served twin keeps only the table-routing parameters {ParameterPattern} of the estate's tables ({string.Join(", ", estate.Tables.Select(t => t.Name))}); '{name}' is none.");
        if (body.String("Type") is { } type && type != "String")
        {
            throw AwsErrorException.BadRequest("UnsupportedParameterType", $"The table-routing parameter is a String, not a {type}.");
        }

        if (body.Bool("Overwrite") != true)
        {
            throw AwsErrorException.BadRequest("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }

        // The routing refuses a table the region does not have (ResourceNotFoundException, a ValidationException here).
        await routing.SetActiveTableAsync(table, region, value, ct);
        lock (_gate)
        {
            var next = (_versions.TryGetValue(name, out var v) ? v.Version : 1) + 1;
            _versions[name] = (next, clock.GetUtcNow());
            return new JsonObject { ["Version"] = next, ["Tier"] = "Standard" };
        }
    }

    private (long Version, DateTimeOffset Modified) Version(string name)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(name, out var v) ? v : (1, _created);
        }
    }

    private (string Table, string Region)? Parse(string name)
    {
        var match = ParameterName().Match(name);
        if (!match.Success)
        {
            return null;
        }

        var table = match.Groups["table"].Value;
        var region = match.Groups["region"].Value;
        return estate.Tables.Any(t => t.Name == table && t.Replicas.Contains(region)) ? (table, region) : null;
    }

    [GeneratedRegex("^/aworld/(?<table>[^/]+)/(?<region>[^/]+)/active-table$")]
    private static partial Regex ParameterName();
}
