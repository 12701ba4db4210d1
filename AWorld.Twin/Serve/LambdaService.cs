using System.Text.Json.Nodes;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AWorld.Twin.Serve;

/// <summary>
/// Lambda reserved concurrency over REST-JSON (PutFunctionConcurrency, GetFunctionConcurrency) of each region's function
/// <see cref="TwinIdentifiers.FunctionName"/>, backed by the twin's <see cref="IRegionScaler"/>: scale = reserved
/// concurrency / <see cref="BaselineConcurrency"/> (the twin's Lambda concurrency limit at scale 1).
/// </summary>
internal sealed class LambdaService(IRegionScaler scaler, EstateTwin twin, IOptions<SimulationOptions> options) : IServedService
{
    private static readonly WireDialect Dialect = new(WireProtocol.RestJson);

    public string SigningName => "lambda";

    /// <summary>Reserved concurrency at scale 1.</summary>
    public int BaselineConcurrency { get; } = options.Value.LambdaConcurrencyLimit;

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var ct = call.Http.RequestAborted;
        JsonObject answer = (call.Method, call.Segments("/")) switch
        {
            ("PUT", ["2017-10-31", "functions", var name, "concurrency"]) => await PutAsync(call, Function(name, call.Region), ct),
            ("GET", ["2019-09-30", "functions", var name, "concurrency"]) => await GetAsync(Function(name, call.Region), ct),
            _ => throw call.UnknownOperation(),
        };
        await call.JsonAsync(answer);
    }

    private async Task<JsonObject> PutAsync(AwsCall call, string region, CancellationToken ct)
    {
        var reserved = AwsWire.ParseJson(call.Body).Long("ReservedConcurrentExecutions");
        if (reserved is not { } value || value < 1)
        {
            throw AwsErrorException.BadRequest("InvalidParameterValueException", "ReservedConcurrentExecutions must be a whole number of at least 1 (the served twin cannot run a region at 0).");
        }

        try
        {
            await scaler.SetScaleAsync(region, (double)value / BaselineConcurrency, ct);
        }
        catch (EstateServiceException e)
        {
            throw AwsErrorException.From(e);
        }

        return new JsonObject { ["ReservedConcurrentExecutions"] = value };
    }

    private async Task<JsonObject> GetAsync(string region, CancellationToken ct)
    {
        if (twin.IsRegionDown(region))
        {
            throw new AwsErrorException(503, "ServiceUnavailable", "The service is unavailable in this region.");
        }

        var scale = await scaler.GetScaleAsync(region, ct);
        return new JsonObject { ["ReservedConcurrentExecutions"] = (long)Math.Round(scale * BaselineConcurrency) };
    }

    /// <summary>The region whose function <paramref name="name"/> (a name or ARN) is; the call's region must be it.</summary>
    private static string Function(string name, string region)
    {
        var parts = name.Split(':');
        var (function, arnRegion) = parts.Length >= 7 && parts[0] == "arn" && parts[5] == "function" ? (parts[6], parts[3]) : (name, region);
        return function == TwinIdentifiers.FunctionName && arnRegion == region
            ? region
            : throw AwsErrorException.NotFound("ResourceNotFoundException",
                $"Function not found: arn:aws:lambda:{region}:{TwinCredentials.AccountId}:function:{function} (the served twin's function is {TwinIdentifiers.FunctionName} in every region).");
    }
}
