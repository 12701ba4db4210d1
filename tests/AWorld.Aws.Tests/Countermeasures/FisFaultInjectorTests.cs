using System.Text.Json.Nodes;
using AWorld.Aws.Countermeasures;
using AWorld.Aws.Http;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Aws.Tests.Countermeasures;

/// <summary>Faults as FIS experiments, against a stand-in FIS (moto has no StartExperiment); the wire format is botocore's (BotocoreWireFormatTests).</summary>
public sealed class FisFaultInjectorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeFisApi _fis;

    public FisFaultInjectorTests() => _fis = new FakeFisApi(_time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fis.DisposeAsync();

    [Fact]
    public async Task Inject_StartsTheTemplateOfItsKindAndRegion_TaggedWithTheSpecAndWhoInjectedIt()
    {
        var injector = Injector();
        var spec = new FaultSpec(FaultKind.Outage, "eu-west-1", Duration: TimeSpan.FromMinutes(20));

        var fault = await injector.InjectAsync(spec, "alice", default);

        var start = Assert.Single(_fis.Server.Requests);
        Assert.Equal(("POST", "/experiments", "eu-west-1/fis"), (start.Method, start.RawPath, start.SigningScope));
        var body = JsonNode.Parse(start.Body)!;
        Assert.Equal("EXTout1", (string?)body["experimentTemplateId"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)body["clientToken"]);
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["aworld:injected-by"] = "alice", ["aworld:fault"] = "outage", ["aworld:region"] = "eu-west-1" }, body["tags"]));
        Assert.Equal(new ActiveFault("EXP0001", spec, _time.GetUtcNow(), null, "alice"), fault);
        Assert.Equal(["EXP0001"], (await injector.ListAsync(default)).Select(f => f.Id));
    }

    [Fact]
    public async Task Inject_PartitionAndThrottle_TagTheirPeerAndClient_AndTheHistoryReadsThemBack()
    {
        var injector = Injector();

        await injector.InjectAsync(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"), null, default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await injector.InjectAsync(new FaultSpec(FaultKind.Throttle, "eu-west-1", Magnitude: 40, Client: "tenant-03"), "bob", default);

        var tags = _fis.Server.Requests.Select(r => JsonNode.Parse(r.Body)!["tags"]!).ToList();
        Assert.Equal("eu-central-1", (string?)tags[0]["aworld:peer-region"]);
        Assert.Equal("aworld-console", (string?)tags[0]["aworld:injected-by"]);
        Assert.Equal("tenant-03", (string?)tags[1]["aworld:client"]);
        // The history's specs come from the tags: kind, region, peer and client (the magnitude is the template's).
        Assert.Equal(
            [new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"), new FaultSpec(FaultKind.Throttle, "eu-west-1", Client: "tenant-03")],
            (await injector.HistoryAsync(default)).Select(f => f.Spec));
    }

    [Fact]
    public async Task Clear_StopsTheExperiment_AndTheHistoryCarriesItsEnd()
    {
        var injector = Injector();
        var fault = await injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1"), "alice", default);
        _time.Advance(TimeSpan.FromMinutes(5));
        _fis.Server.Clear();

        Assert.True(await injector.ClearAsync(fault.Id, default));

        Assert.Contains(_fis.Server.Requests, r => r.Method == "DELETE" && r.RawPath == "/experiments/EXP0001");
        Assert.Empty(await injector.ListAsync(default));
        var ended = Assert.Single(await injector.HistoryAsync(default));
        Assert.Equal((fault.StartsAt, _time.GetUtcNow()), (ended.StartsAt, ended.EndsAt));
        Assert.False(await injector.ClearAsync(fault.Id, default));
        Assert.False(await injector.ClearAsync("EXPnone", default));
    }

    [Fact]
    public async Task History_ReadsTheListOncePerRefreshInterval_AndAnEndedExperimentsDetailsOnce()
    {
        var injector = Injector();
        var fault = await injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1"), null, default);
        _fis.Server.Clear();

        await injector.HistoryAsync(default);
        _time.Advance(TimeSpan.FromSeconds(9));
        await injector.ListAsync(default);
        // One list per region with a template.
        string[] lists = ["GET /experiments eu-central-1/fis", "GET /experiments eu-west-1/fis"];
        Assert.Equal(lists, Calls());

        _fis.Complete(fault.Id);
        var endedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));
        var ended = Assert.Single(await injector.HistoryAsync(default));
        Assert.Equal(endedAt, ended.EndsAt);
        Assert.Equal([.. lists, .. lists, "GET /experiments/EXP0001 eu-west-1/fis"], Calls());

        _time.Advance(TimeSpan.FromSeconds(10));
        await injector.HistoryAsync(default);
        Assert.Equal([.. lists, .. lists, "GET /experiments/EXP0001 eu-west-1/fis", .. lists], Calls());
    }

    [Fact]
    public async Task History_HoldsExperimentsOfTheConfiguredTemplatesStartedElsewhere_AndNoOthers()
    {
        var started = _time.GetUtcNow().AddMinutes(-3);
        _fis.AddExperiment("EXTlat2", "running", started);
        _fis.AddExperiment("EXTsomeoneelse", "running", started);
        var injector = Injector();

        var fault = Assert.Single(await injector.HistoryAsync(default));

        Assert.Equal(new ActiveFault("EXP0001", new FaultSpec(FaultKind.Latency, "eu-central-1"), started, null, null), fault);
    }

    [Fact]
    public async Task History_ARegionWhoseFisDoesNotAnswer_KeepsItsFaultsAsLastRead_AndTheOthersAreRead()
    {
        var injector = Injector();
        var outage = await injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1"), null, default);
        await injector.HistoryAsync(default);
        _fis.FailingRegion = "eu-west-1";
        _fis.AddExperiment("EXTlat2", "running", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(10));

        var faults = await injector.ListAsync(default);

        Assert.Equal([outage.Id, "EXP0002"], faults.Select(f => f.Id));
        Assert.Equal(2, _fis.Server.Requests.Count(r => r is { Method: "GET", RawPath: "/experiments", SigningScope: "eu-west-1/fis" }));
    }

    [Fact]
    public async Task Disabled_InjectAndClearAreRefusedNamingTheKey_NothingIsListed_NothingIsSent()
    {
        var injector = Injector(o => o.Fis.Enabled = false);

        var inject = await Assert.ThrowsAsync<EstateServiceException>(() => injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1"), "alice", default));
        var clear = await Assert.ThrowsAsync<EstateServiceException>(() => injector.ClearAsync("EXP0001", default));

        Assert.Equal(CountermeasureErrors.FisDisabled, inject.ErrorCode);
        Assert.Contains("Estate:Aws:Fis:Enabled", inject.Message, StringComparison.Ordinal);
        Assert.Equal(CountermeasureErrors.FisDisabled, clear.ErrorCode);
        Assert.Empty(await injector.ListAsync(default));
        Assert.Empty(await injector.HistoryAsync(default));
        Assert.Empty(_fis.Server.Requests);
    }

    [Fact]
    public async Task Inject_WithoutATemplateForItsKindAndRegion_IsRefusedNamingTheKey()
    {
        var injector = Injector();

        var ex = await Assert.ThrowsAsync<EstateServiceException>(() => injector.InjectAsync(new FaultSpec(FaultKind.BadDeploy, "eu-central-1"), null, default));

        Assert.Equal(CountermeasureErrors.NoTemplate, ex.ErrorCode);
        Assert.Contains("Estate:Aws:Fis:Templates:bad-deploy:eu-central-1", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_fis.Server.Requests);
    }

    [Fact]
    public async Task Inject_WithAStartOffset_IsRefused_AndAnInvalidSpecIsAnArgumentError()
    {
        var injector = Injector();

        var delayed = await Assert.ThrowsAsync<EstateServiceException>(() => injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1", Delay: TimeSpan.FromMinutes(1)), null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => injector.InjectAsync(new FaultSpec(FaultKind.Outage, "us-east-1"), null, default));

        Assert.Equal(CountermeasureErrors.Refused, delayed.ErrorCode);
        Assert.Empty(_fis.Server.Requests);
    }

    [Fact]
    public async Task WithWritesOff_StartAndStopThrowTheDryRunWithTheExactRequest_AndNothingChanges()
    {
        var id = _fis.AddExperiment("EXTout1", "running", _time.GetUtcNow());
        var injector = Injector(o => o.AllowWrites = false);

        var start = await Assert.ThrowsAsync<EstateServiceException>(() => injector.InjectAsync(new FaultSpec(FaultKind.Outage, "eu-west-1"), "alice", default));
        var stop = await Assert.ThrowsAsync<EstateServiceException>(() => injector.ClearAsync(id, default));

        Assert.Equal((AwsHttp.DryRunCode, AwsHttp.DryRunCode), (start.ErrorCode, stop.ErrorCode));
        Assert.Matches($$"""The request would have been: POST {{_fis.Server.Endpoint}}experiments \{"clientToken":"[0-9a-f]{32}","experimentTemplateId":"EXTout1","tags":\{"aworld:injected-by":"alice","aworld:fault":"outage","aworld:region":"eu-west-1"\}\}$""", start.Message);
        Assert.EndsWith($"The request would have been: DELETE {_fis.Server.Endpoint}experiments/{id}", stop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fis.Server.Requests, r => r.Method is "POST" or "DELETE");
        Assert.Null(Assert.Single(await injector.HistoryAsync(default)).EndsAt);
    }

    private List<string> Calls() => [.. _fis.Server.Requests.Select(r => $"{r.Method} {r.RawPath} {r.SigningScope}")];

    private FisFaultInjector Injector(Action<AwsOptions>? change = null)
    {
        var options = TestAws.OptionsFor(_fis.Server.Endpoint);
        options.Fis = new AwsFisOptions
        {
            Enabled = true,
            Templates = new()
            {
                ["outage"] = new() { ["eu-west-1"] = "EXTout1" },
                ["partition"] = new() { ["eu-west-1"] = "EXTpart1" },
                ["throttle"] = new() { ["eu-west-1"] = "EXTthr1" },
                ["latency"] = new() { ["eu-central-1"] = "EXTlat2" },
            },
        };
        change?.Invoke(options);
        return new FisFaultInjector(new FisClient(TestAws.Http(options)), EstateTopology.Default, Options.Create(options), _time);
    }
}
