using System.Text.Json.Nodes;

namespace AWorld.Aws.Tests.Shared;

/// <summary>
/// boto3's client of a service, pointed at an endpoint with the fixed test keys: runs calls in order (a call with
/// <c>paginate</c> walks every page with boto3's paginator) and returns what boto3 parsed from each answer, timestamps as
/// ISO 8601 in UTC and without ResponseMetadata.
/// </summary>
public static class Boto3Client
{
    private const string Script = """
        import boto3, botocore.config, datetime, json, sys
        a = json.load(sys.stdin)
        c = boto3.client(a["service"], region_name=a["region"], endpoint_url=a["endpoint"],
                         aws_access_key_id=a["key"], aws_secret_access_key=a["secret"],
                         config=botocore.config.Config(retries={"total_max_attempts": 1}))
        def clean(r):
            if isinstance(r, dict):
                r.pop("ResponseMetadata", None)
            return r
        out = []
        for call in a["calls"]:
            if call.get("paginate"):
                out.append([clean(p) for p in c.get_paginator(call["op"]).paginate(**call["params"])])
            else:
                out.append(clean(getattr(c, call["op"])(**call["params"])))
        def default(o):
            if isinstance(o, datetime.datetime):
                return o.astimezone(datetime.timezone.utc).isoformat()
            raise TypeError(type(o))
        print(json.dumps(out, default=default))
        """;

    public static async Task<JsonArray> CallAsync(Uri endpoint, string service, string region, params (string Operation, JsonObject Parameters, bool Paginate)[] calls)
    {
        var argument = new JsonObject
        {
            ["service"] = service,
            ["region"] = region,
            ["endpoint"] = endpoint.ToString().TrimEnd('/'),
            ["key"] = MotoServer.AccessKeyId,
            ["secret"] = MotoServer.SecretAccessKey,
            ["calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject { ["op"] = c.Operation, ["params"] = c.Parameters, ["paginate"] = c.Paginate })]),
        };
        return (await PythonJson.RunAsync(Script, argument))!.AsArray();
    }
}
