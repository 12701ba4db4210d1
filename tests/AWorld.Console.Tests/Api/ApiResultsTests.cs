using System.Collections.Immutable;
using System.Text.Json;
using AWorld.Console.Api;
using AWorld.Core;
using AWorld.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Api;

public sealed class ApiResultsTests
{
    [Theory]
    [InlineData(FailureKind.Invalid, 400)]
    [InlineData(FailureKind.Forbidden, 403)]
    [InlineData(FailureKind.NotFound, 404)]
    [InlineData(FailureKind.Conflict, 409)]
    [InlineData(FailureKind.Throttled, 429)]
    [InlineData(FailureKind.Refused, 409)]
    public async Task Failure_OfEachKind_AnswersItsStatus_WithTheMessageAsError(FailureKind kind, int status)
    {
        var (code, headers, body) = await ExecuteAsync(ApiResults.Failed(new Failure(kind, "what to fix")));

        Assert.Equal(status, code);
        Assert.Equal("what to fix", body.GetProperty("error").GetString());
        Assert.False(headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public void EveryKind_HasAClientErrorStatus()
    {
        Assert.All(Enum.GetValues<FailureKind>(), kind => Assert.InRange(ApiResults.StatusCodeOf(kind), 400, 499));
    }

    [Fact]
    public async Task Throttled_WithAKnownWait_SaysWhenToRetry_InWholeSeconds()
    {
        var (code, headers, _) = await ExecuteAsync(ApiResults.Failed(Failure.Throttled("Too many failed sign-ins.", TimeSpan.FromSeconds(89.2))));

        Assert.Equal(429, code);
        Assert.Equal("90", headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task RefusedOperation_CarriesTheChecks_BesideTheError()
    {
        var checks = ImmutableArray.Create(new RuleResult(SafetyRules.Cooldown, false, "wait"));
        var result = OperationResult.Fail(Failure.Refused("Refused by the safety rules: [cooldown] wait"), checks: checks);

        var (code, _, body) = await ExecuteAsync(ApiResults.Failed(result));

        Assert.Equal(409, code);
        Assert.StartsWith("Refused by the safety rules", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(SafetyRules.Cooldown, Assert.Single(body.GetProperty("checks").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Outcome_WithAValue_GoesThroughTheSuccessPath()
    {
        var (code, _, _) = await ExecuteAsync(ApiResults.From(Outcome<int>.Ok(7), _ => Results.NoContent()));

        Assert.Equal(204, code);
    }

    private static async Task<(int Status, IHeaderDictionary Headers, JsonElement Body)> ExecuteAsync(IResult result)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider() };
        using var stream = new MemoryStream();
        http.Response.Body = stream;
        await result.ExecuteAsync(http);
        var body = stream.Length > 0 ? JsonDocument.Parse(stream.ToArray()).RootElement.Clone() : default;
        return (http.Response.StatusCode, http.Response.Headers, body);
    }
}
