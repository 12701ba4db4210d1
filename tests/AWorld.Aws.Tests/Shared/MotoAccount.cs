using System.Text.Json.Nodes;

namespace AWorld.Aws.Tests.Shared;

/// <summary>What <see cref="MotoAccount.CreateApiAsync"/> made: a REST API with a <c>prod</c> stage, its plans and keys.</summary>
public sealed record MotoApi(string RestApiId, string DefaultPlanId, string RestrictedPlanId, string UncoveredPlanId, IReadOnlyDictionary<string, string> KeyIds);

/// <summary>
/// Sets up and reads back moto's account with boto3, independently of the clients under test: an API with usage plans
/// and API keys, Lambda functions, their reserved concurrency.
/// </summary>
public static class MotoAccount
{
    private const string Prelude = """
        import boto3, io, json, sys, zipfile
        a = json.load(sys.stdin)
        def client(service):
            return boto3.client(service, region_name=a["region"], endpoint_url=a["endpoint"],
                                aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")

        """;

    /// <summary>
    /// A REST API with a GET method that needs an API key, deployed to <c>prod</c>; a default plan (100 req/s, burst 200)
    /// and a restricted plan (5 req/s, burst 10) on that stage, a third plan on no stage; an API key per client, each
    /// in the default plan.
    /// </summary>
    public static async Task<MotoApi> CreateApiAsync(Uri endpoint, string region, params string[] clients)
    {
        var result = await PythonJson.RunAsync(Prelude + """
            ag = client("apigateway")
            api = ag.create_rest_api(name="aworld-api")["id"]
            root = ag.get_resources(restApiId=api)["items"][0]["id"]
            ag.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE", apiKeyRequired=True)
            ag.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
            ag.create_deployment(restApiId=api, stageName="prod")
            stage = [{"apiId": api, "stage": "prod"}]
            default = ag.create_usage_plan(name="default", apiStages=stage, throttle={"rateLimit": 100, "burstLimit": 200})["id"]
            restricted = ag.create_usage_plan(name="restricted", apiStages=stage, throttle={"rateLimit": 5, "burstLimit": 10})["id"]
            uncovered = ag.create_usage_plan(name="uncovered", throttle={"rateLimit": 1, "burstLimit": 1})["id"]
            keys = {}
            for name in a["clients"]:
                keys[name] = ag.create_api_key(name=name, enabled=True)["id"]
                ag.create_usage_plan_key(usagePlanId=default, keyId=keys[name], keyType="API_KEY")
            print(json.dumps({"api": api, "default": default, "restricted": restricted, "uncovered": uncovered, "keys": keys}))
            """, Argument(endpoint, region, new JsonObject { ["clients"] = new JsonArray([.. clients.Select(c => (JsonNode)c)]) }));
        return new MotoApi((string)result!["api"]!, (string)result["default"]!, (string)result["restricted"]!, (string)result["uncovered"]!,
            result["keys"]!.AsObject().ToDictionary(k => k.Key, k => (string)k.Value!));
    }

    /// <summary>The names of the API keys in a usage plan, sorted, as boto3 reads them.</summary>
    public static async Task<IReadOnlyList<string>> PlanKeyNamesAsync(Uri endpoint, string region, string usagePlanId)
    {
        var result = await PythonJson.RunAsync(Prelude + """
            keys = client("apigateway").get_usage_plan_keys(usagePlanId=a["plan"])["items"]
            print(json.dumps(sorted(k["name"] for k in keys)))
            """, Argument(endpoint, region, new JsonObject { ["plan"] = usagePlanId }));
        return [.. result!.AsArray().Select(n => (string)n!)];
    }

    /// <summary>Python functions (a zip, no Docker needed to create them) with an execution role.</summary>
    public static async Task CreateFunctionsAsync(Uri endpoint, string region, params string[] names)
    {
        await PythonJson.RunAsync(Prelude + """
            role = client("iam").create_role(RoleName="aworld-fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
            code = io.BytesIO()
            with zipfile.ZipFile(code, "w") as z:
                z.writestr("index.py", "def handler(event, context):\n    return 1\n")
            for name in a["names"]:
                client("lambda").create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler="index.handler", Code={"ZipFile": code.getvalue()})
            print("null")
            """, Argument(endpoint, region, new JsonObject { ["names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }));
    }

    /// <summary>Each function's reserved concurrency as boto3 reads it (null: none reserved).</summary>
    public static async Task<IReadOnlyDictionary<string, int?>> ReservedConcurrencyAsync(Uri endpoint, string region, params string[] names)
    {
        var result = await PythonJson.RunAsync(Prelude + """
            lam = client("lambda")
            print(json.dumps({n: lam.get_function_concurrency(FunctionName=n).get("ReservedConcurrentExecutions") for n in a["names"]}))
            """, Argument(endpoint, region, new JsonObject { ["names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }));
        return result!.AsObject().ToDictionary(k => k.Key, k => k.Value is null ? null : (int?)(int)k.Value);
    }

    public static async Task PutReservedConcurrencyAsync(Uri endpoint, string region, string name, int reserved) =>
        await PythonJson.RunAsync(Prelude + """
            client("lambda").put_function_concurrency(FunctionName=a["name"], ReservedConcurrentExecutions=a["reserved"])
            print("null")
            """, Argument(endpoint, region, new JsonObject { ["name"] = name, ["reserved"] = reserved }));

    private static JsonObject Argument(Uri endpoint, string region, JsonObject rest)
    {
        rest["endpoint"] = endpoint.ToString().TrimEnd('/');
        rest["region"] = region;
        return rest;
    }
}
