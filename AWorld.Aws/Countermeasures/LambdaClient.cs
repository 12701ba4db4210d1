using AWorld.Aws.Http;
using AWorld.Core.Estate;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// Lambda's reserved concurrency calls over REST-JSON signed for <c>lambda</c>: <c>PUT
/// /2017-10-31/functions/{name}/concurrency</c>, <c>GET /2019-09-30/functions/{name}/concurrency</c> and <c>DELETE
/// /2017-10-31/functions/{name}/concurrency</c>. A function is named by its name or ARN (colons percent-encoded in the
/// path). Errors are <see cref="EstateServiceException"/>s with AWS's code (<c>ResourceNotFoundException</c>,
/// <c>InvalidParameterValueException</c> when the account would keep fewer than 100 unreserved executions...).
/// </summary>
/// <remarks>Thread-safe; stateless over <see cref="AwsHttp"/>.</remarks>
public sealed class LambdaClient(AwsHttp http)
{
    /// <summary>The function's reserved concurrency; null when it reserves none (it draws on the account's unreserved pool).</summary>
    public async Task<int?> GetFunctionConcurrencyAsync(string region, string functionName, CancellationToken cancellationToken) =>
        (await RestJson.ReadAsync<Concurrency>(await http.SendAsync(
            Call(region, "lambda:GetFunctionConcurrency", AwsPurpose.Read, HttpMethod.Get, $"2019-09-30/functions/{RestJson.Label(functionName)}/concurrency"),
            cancellationToken), cancellationToken)).ReservedConcurrentExecutions;

    /// <summary>Reserves <paramref name="reserved"/> concurrent executions for the function (which also caps it there); returns what Lambda set.</summary>
    public async Task<int?> PutFunctionConcurrencyAsync(string region, string functionName, int reserved, CancellationToken cancellationToken) =>
        (await RestJson.ReadAsync<Concurrency>(await http.SendAsync(PutFunctionConcurrencyCall(region, functionName, reserved), cancellationToken), cancellationToken)).ReservedConcurrentExecutions;

    /// <summary>Removes the function's reservation: it draws on the account's unreserved pool again.</summary>
    public async Task DeleteFunctionConcurrencyAsync(string region, string functionName, CancellationToken cancellationToken) =>
        (await http.SendAsync(Call(region, "lambda:DeleteFunctionConcurrency", AwsPurpose.Write, HttpMethod.Delete, $"2017-10-31/functions/{RestJson.Label(functionName)}/concurrency"), cancellationToken)).Dispose();

    /// <summary>The PutFunctionConcurrency call itself, for a change that writes several functions (one dry run lists them all).</summary>
    internal static AwsCall PutFunctionConcurrencyCall(string region, string functionName, int reserved) =>
        Call(region, "lambda:PutFunctionConcurrency", AwsPurpose.Write, HttpMethod.Put, $"2017-10-31/functions/{RestJson.Label(functionName)}/concurrency",
            new Concurrency(reserved));

    private static AwsCall Call(string region, string action, AwsPurpose purpose, HttpMethod method, string path, object? body = null) =>
        new(AwsService.Lambda, region, action, purpose, endpoint => RestJson.Request(method, endpoint, path, body: body));

    private sealed record Concurrency(int? ReservedConcurrentExecutions);
}
