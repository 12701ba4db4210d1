using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Twin.Tests;

/// <summary>What the served twin reads besides the catalog: each client's requests, the clients' success, and where a write travels with the canaries.</summary>
public class ClientMetricsAndCanaryCursorTests
{
    [Fact]
    public async Task ClientRequests_AreTheClientsRates_WithTheStormingClientMultiplied()
    {
        var twin = Twins.Create(5);
        twin.Run(TimeSpan.FromMinutes(1));
        twin.Inject(new FaultSpec(FaultKind.Throttle, "eu-west-1", Magnitude: 30, Client: "tenant-07"));
        twin.Run(TimeSpan.FromSeconds(10));
        var clients = await ((IClientThrottler)twin).TopClientsAsync("eu-west-1", 40, default);
        var second = twin.Now.AddSeconds(-1);

        var answer = await ((ITelemetrySource)twin).GetMetricDataAsync(new GetMetricDataRequest("eu-west-1", second, twin.Now,
            [.. clients.Select(c => new MetricDataQuery(c.Client.Replace('-', '_'), Requests("eu-west-1", c.Client, "Sum")))]), default);

        foreach (var client in clients)
        {
            var value = Assert.Single(answer.Results.Single(r => r.Id == client.Client.Replace('-', '_')).Values);
            Assert.Equal(client.RequestsPerSecond, value, 9);
        }

        var storming = clients.Single(c => c.Client == "tenant-07");
        Assert.Equal(storming.BaselineRequestsPerSecond * 30, storming.RequestsPerSecond, 9);
        Assert.Equal(storming, clients[0]);
    }

    [Fact]
    public async Task ClientMetrics_HaveNoDataWhileTheRegionIsDown_AndSuccessIsReadInUsEast1()
    {
        var twin = Twins.Create(5);
        twin.Run(TimeSpan.FromSeconds(30));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        twin.Run(TimeSpan.FromSeconds(30));
        var source = (ITelemetrySource)twin;

        var west = await source.GetMetricDataAsync(new GetMetricDataRequest("eu-west-1", twin.StartTime, twin.Now,
            [new MetricDataQuery("a", Requests("eu-west-1", "tenant-01", "Average"))]), default);
        var success = await source.GetMetricDataAsync(new GetMetricDataRequest(ClientMetrics.SuccessRegion, twin.StartTime, twin.Now,
            [new MetricDataQuery("s", new MetricStat(ClientMetrics.Namespace, ClientMetrics.SuccessRatio, [], 1, "Average"))]), default);
        var down = await Assert.ThrowsAsync<EstateServiceException>(() => source.GetMetricDataAsync(new GetMetricDataRequest("eu-central-1", twin.StartTime, twin.Now,
            [new MetricDataQuery("c", Requests("eu-central-1", "tenant-01", "Sum"))]), default));

        Assert.Equal(60, west.Results[0].Values.Length);
        Assert.Equal(60, success.Results[0].Values.Length);
        Assert.All(success.Results[0].Values.Take(30), v => Assert.InRange(v, 0.98, 1));
        Assert.True(success.Results[0].Values.Skip(31).Average() < 0.9, "a region's outage fails the clients still sent to it");
        Assert.Equal("ServiceUnavailable", down.ErrorCode);
    }

    [Fact]
    public void CanaryCursor_AWriteArrivesWithTheNextCanary_AndIsLostWhenItsRegionFailsFirst()
    {
        var twin = Twins.Create(3);
        twin.Run(TimeSpan.FromMinutes(1));
        var (sequence, failures) = twin.CanaryCursor("eu-west-1");

        Assert.False(twin.CanaryArrived("eu-west-1", "eu-north-1", sequence, failures));
        twin.Run(TimeSpan.FromSeconds(3));
        Assert.True(twin.CanaryArrived("eu-west-1", "eu-north-1", sequence, failures));

        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-north-1"));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-west-1", "eu-central-1"));
        twin.Run(TimeSpan.FromSeconds(5));
        var (cutOff, before) = twin.CanaryCursor("eu-west-1");
        twin.Run(TimeSpan.FromSeconds(2));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1", Duration: TimeSpan.FromSeconds(30)));
        twin.Run(TimeSpan.FromMinutes(3));

        Assert.Equal(before + 1, twin.CanaryCursor("eu-west-1").Failures);
        Assert.True(twin.CanaryCursor("eu-west-1").NextSequence > cutOff, "the region writes canaries again after its outage");
        Assert.False(twin.CanaryArrived("eu-west-1", "eu-north-1", cutOff, before));
        Assert.False(twin.CanaryArrived("eu-west-1", "eu-central-1", cutOff, before));
        Assert.True(twin.CanaryArrived("eu-west-1", "eu-north-1", sequence, failures));
    }

    private static MetricStat Requests(string region, string client, string stat) =>
        new(ClientMetrics.Namespace, ClientMetrics.Requests,
            [new MetricDimension(ClientMetrics.RegionDimension, region), new MetricDimension(ClientMetrics.ClientDimension, client)], 1, stat);
}
