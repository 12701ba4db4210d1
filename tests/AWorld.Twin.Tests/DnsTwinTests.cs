using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

public class DnsTwinTests
{
    [Fact]
    public void ActiveRegions_ShareTrafficByWeight_AndBackupGetsNone()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(10));
        var truth = twin.Truth();

        Assert.InRange(truth.Region("eu-west-1").TrafficShare, 0.42, 0.58);
        Assert.InRange(truth.Region("eu-central-1").TrafficShare, 0.42, 0.58);
        Assert.Equal(0, truth.Region("eu-north-1").TrafficShare);
        Assert.Equal(1, truth.Regions.Sum(r => r.TrafficShare), 6);
    }

    [Fact]
    public void Traffic_LeavesAFailedRegionOnlyAsClientCachesExpire()
    {
        const int ttl = 60;
        var twin = Twins.Create(21, simulation: s => { s.StickyResolverShare = 0.1; s.StickyResolverTtlMultiple = 5; });
        twin.Run(TimeSpan.FromMinutes(5));
        var before = twin.Truth().Region("eu-west-1").TrafficShare;
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));

        // Nothing moves until Route 53 sees the endpoint unhealthy: clients keep their cached answer.
        var shares = new List<double>();
        twin.StepUntil(t =>
        {
            shares.Add(t.Region("eu-west-1").TrafficShare);
            return !t.Region("eu-west-1").Route53Healthy;
        }, TimeSpan.FromMinutes(3));
        Assert.All(shares, s => Assert.InRange(s, before - 0.06, before + 0.06));
        var atDetection = twin.Truth().Region("eu-west-1").TrafficShare;

        twin.Run(TimeSpan.FromSeconds(ttl / 2));
        var halfTtl = twin.Truth().Region("eu-west-1").TrafficShare;
        twin.Run(TimeSpan.FromSeconds((ttl / 2) + 1));
        var oneTtl = twin.Truth().Region("eu-west-1").TrafficShare;
        twin.Run(TimeSpan.FromSeconds(4 * ttl));
        var fiveTtl = twin.Truth().Region("eu-west-1").TrafficShare;

        Assert.InRange(halfTtl, atDetection * 0.25, atDetection * 0.75);
        Assert.InRange(oneTtl, 0.001, atDetection * 0.25);
        Assert.Equal(0, fiveTtl);
    }

    [Fact]
    public void WhenEveryActiveRegionIsDown_ZeroWeightBackupRecordIsAnswered()
    {
        var twin = Twins.Create(5);
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-central-1"));
        twin.Run(TimeSpan.FromMinutes(15));

        Assert.Equal(1, twin.Truth().Region("eu-north-1").TrafficShare, 6);
    }

    [Fact]
    public void WhenEveryRecordIsUnhealthy_Route53AnswersAsIfAllWereHealthy()
    {
        var twin = Twins.Create(5);
        foreach (var region in new[] { "eu-west-1", "eu-central-1", "eu-north-1" })
        {
            twin.Inject(new FaultSpec(FaultKind.Outage, region));
        }

        twin.Run(TimeSpan.FromMinutes(15));
        var truth = twin.Truth();

        Assert.All(truth.Regions, r => Assert.False(r.Route53Healthy));
        Assert.InRange(truth.Region("eu-west-1").TrafficShare, 0.4, 0.6);
        Assert.Equal(0, truth.Region("eu-north-1").TrafficShare);
    }

    [Fact]
    public void FailoverRouting_SendsEverythingToThePrimary_ThenToTheSecondaryWhenItFails()
    {
        var twin = Twins.Create(8, e => e.Dns.RoutingPolicy = DnsRoutingPolicy.Failover);
        twin.Run(TimeSpan.FromMinutes(6));
        Assert.Equal(1, twin.Truth().Region("eu-west-1").TrafficShare, 6);

        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1"));
        twin.Run(TimeSpan.FromMinutes(10));

        Assert.Equal(1, twin.Truth().Region("eu-central-1").TrafficShare, 6);
    }

    [Fact]
    public async Task WeightChange_TakesEffectAfterPropagation_AndTrafficDrainsWithTheCaches()
    {
        var twin = Twins.Create(13, simulation: s => s.DnsChangePropagation = TimeSpan.FromSeconds(20));
        var router = (ITrafficRouter)twin;
        twin.Run(TimeSpan.FromMinutes(5));

        var change = await router.ChangeWeightsAsync([new WeightChange("eu-west-1", 0)], "drain eu-west-1", CancellationToken.None);
        Assert.Equal(ChangeStatus.Pending, change.Status);
        twin.Run(TimeSpan.FromSeconds(19));
        Assert.Equal(ChangeStatus.Pending, (await router.GetChangeAsync(change.Id, CancellationToken.None)).Status);
        Assert.InRange(twin.Truth().Region("eu-west-1").TrafficShare, 0.35, 0.65);

        twin.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(ChangeStatus.InSync, (await router.GetChangeAsync(change.Id, CancellationToken.None)).Status);
        twin.Run(TimeSpan.FromSeconds(301));

        Assert.Equal(0, twin.Truth().Region("eu-west-1").TrafficShare);
        var records = await router.ListRecordsAsync(CancellationToken.None);
        Assert.Equal(0, records.Single(r => r.Region == "eu-west-1").Weight);
    }

    [Fact]
    public async Task WeightChange_ForUnknownRegion_IsRejectedWithRoute53Error()
    {
        var twin = Twins.Create();
        var router = (ITrafficRouter)twin;

        var error = await Assert.ThrowsAsync<EstateServiceException>(() => router.ChangeWeightsAsync([new WeightChange("us-east-2", 10)], "x", CancellationToken.None));

        Assert.Equal("InvalidChangeBatch", error.ErrorCode);
        Assert.Contains("us-east-2", error.Message, StringComparison.Ordinal);
    }
}
