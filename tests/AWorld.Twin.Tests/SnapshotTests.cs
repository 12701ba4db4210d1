using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Estate;
using Xunit.Abstractions;

namespace AWorld.Twin.Tests;

public class SnapshotTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions TruthJson = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public async Task SnapshotThenRestore_StepsExactlyLikeTheOriginal_RandomStreamsIncluded()
    {
        var original = await BusyTwinAsync();
        var restored = RoundTrip(original);

        Assert.Equal(Json(original.Truth()), Json(restored.Truth()));
        for (var s = 0; s < 900; s++)
        {
            original.Step();
            restored.Step();
        }

        Assert.Equal(Json(original.Truth()), Json(restored.Truth()));
        Assert.Equal(original.Snapshot().Serialize(), restored.Snapshot().Serialize());
        Assert.Equal(Json(original.FaultHistory()), Json(restored.FaultHistory()));
        Assert.Equal(Json(await ((ITrafficRouter)original).ListRecordsAsync(default)), Json(await ((ITrafficRouter)restored).ListRecordsAsync(default)));
        Assert.Equal(Json(original.RestoreTruth("orders-restored", "eu-west-1")), Json(restored.RestoreTruth("orders-restored", "eu-west-1")));
    }

    [Fact]
    public async Task APendingRoute53Change_IsKnownAfterRestore_AndGoesInSync()
    {
        var original = Twins.Create();
        original.Run(TimeSpan.FromMinutes(2));
        var change = await ((ITrafficRouter)original).ChangeWeightsAsync([new WeightChange("eu-west-1", 0)], "drill", default);

        var restored = RoundTrip(original);

        Assert.Equal(ChangeStatus.Pending, (await ((ITrafficRouter)restored).GetChangeAsync(change.Id, default)).Status);
        restored.Run(new SimulationOptions().DnsChangePropagation + TimeSpan.FromSeconds(1));
        var info = await ((ITrafficRouter)restored).GetChangeAsync(change.Id, default);
        Assert.Equal((ChangeStatus.InSync, change.SubmittedAt), (info.Status, info.SubmittedAt));
        Assert.Equal(0, (await ((ITrafficRouter)restored).ListRecordsAsync(default)).Single(r => r.Region == "eu-west-1").Weight);
        var next = await ((ITrafficRouter)restored).ChangeWeightsAsync([new WeightChange("eu-west-1", 100)], "back", default);
        Assert.NotEqual(change.Id, next.Id);
    }

    [Fact]
    public async Task RestoreWithASkip_JumpsTheClock_AndMovesEveryTimeWithIt()
    {
        var original = Twins.Create();
        original.Run(TimeSpan.FromMinutes(2));
        var fault = original.Inject(new FaultSpec(FaultKind.Latency, "eu-central-1", Duration: TimeSpan.FromMinutes(10)));
        var change = await ((ITrafficRouter)original).ChangeWeightsAsync([new WeightChange("eu-west-1", 0)], "drill", default);
        var skip = TimeSpan.FromDays(2);

        var restored = EstateTwin.Restore(original.Estate, new SimulationOptions { Seed = original.Seed }, original.Snapshot(), skip);

        Assert.Equal(original.Now + skip, restored.Now);
        Assert.Equal(fault.StartsAt + skip, restored.FaultHistory().Single().StartsAt);
        Assert.Equal(change.SubmittedAt + skip, (await ((ITrafficRouter)restored).GetChangeAsync(change.Id, default)).SubmittedAt);
        restored.Run(TimeSpan.FromSeconds(21));
        Assert.Equal(ChangeStatus.InSync, (await ((ITrafficRouter)restored).GetChangeAsync(change.Id, default)).Status);
        restored.Run(TimeSpan.FromMinutes(3));
        Assert.True(restored.Truth().Regions.All(r => r.Route53Healthy), "the health checkers go on probing after the jump");
    }

    [Fact]
    public void ASnapshot_OfAnotherSeedOrEstate_IsNotRestored()
    {
        var twin = Twins.Create(seed: 7);
        var snapshot = twin.Snapshot();

        Assert.Null(snapshot.MismatchWith(twin.Estate, new SimulationOptions { Seed = 7 }));
        Assert.Contains("Simulation:Seed 7", snapshot.MismatchWith(twin.Estate, new SimulationOptions { Seed = 8 }), StringComparison.Ordinal);
        var other = Twins.Create(7, e => e.HealthChecks.RequestIntervalSeconds = 10).Estate;
        Assert.Contains("another estate", snapshot.MismatchWith(other, new SimulationOptions { Seed = 7 }), StringComparison.Ordinal);
        Assert.Contains("another estate", snapshot.MismatchWith(twin.Estate, new SimulationOptions { Seed = 7, ClientCount = 500 }), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EstateTwin.Restore(twin.Estate, new SimulationOptions { Seed = 8 }, snapshot));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"version\": 99}")]
    [InlineData("{\"version\": 1, \"seed\": 7}")]
    [InlineData("[]")]
    public void AnUnreadableFile_IsInvalidData(string text)
    {
        Assert.Throws<InvalidDataException>(() => TwinSnapshot.Deserialize(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void ASnapshotWhosePartsDoNotFit_IsInvalidData()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(1));
        var snapshot = twin.Snapshot();
        var broken = snapshot with { Dns = snapshot.Dns with { Target = [1, 2, 3] } };

        Assert.Throws<InvalidDataException>(() => EstateTwin.Restore(twin.Estate, new SimulationOptions { Seed = twin.Seed }, broken));
    }

    [Fact]
    public async Task StateChanged_IsCalledAfterEachChangingCall_AndNotAfterReads()
    {
        var twin = Twins.Create();
        var calls = 0;
        twin.StateChanged = () => calls++;

        await ((ITrafficRouter)twin).ChangeWeightsAsync([new WeightChange("eu-west-1", 50)], "x", default);
        var fault = await ((IFaultInjector)twin).InjectAsync(new FaultSpec(FaultKind.Errors, "eu-west-1"), "t", default);
        await ((IFaultInjector)twin).ClearAsync(fault.Id, default);
        await ((IRegionScaler)twin).SetScaleAsync("eu-west-1", 2, default);
        await ((IClientThrottler)twin).SetClientLimitAsync("eu-west-1", "tenant-03", 10, default);
        Assert.Equal(5, calls);

        await ((ITrafficRouter)twin).ListRecordsAsync(default);
        twin.Step();
        Assert.Equal(5, calls);
    }

    [Fact]
    public void TheDefaultEstatesSnapshot_IsSmall_AndGrowsOnlyWithThePitrTotals()
    {
        var twin = Twins.Create();
        twin.Run(TimeSpan.FromMinutes(1));
        var fresh = twin.Snapshot().Serialize().Length;
        twin.Run(TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1));
        var (atThree, pitrAtThree) = Size(twin.Snapshot());
        twin.Run(TimeSpan.FromHours(1));
        var (atFour, pitrAtFour) = Size(twin.Snapshot());
        output.WriteLine($"default estate snapshot: {fresh} bytes after 1 min, {atThree} after 3 h, {atFour} after 4 h; PITR totals grow {pitrAtFour - pitrAtThree} bytes per hour");

        // A bounded part (clients' caches, checkers, canaries up to their cap of 8192 per region) plus the per-second
        // write totals of each table that a PITR restore reads: a few bytes per table per simulated second.
        Assert.InRange(fresh, 1, 100_000);
        Assert.InRange(atFour, 1, 600_000);
        Assert.InRange(pitrAtFour - pitrAtThree, 1, 3600 * 2 * 4);

        static (int Bytes, int Pitr) Size(TwinSnapshot snapshot) => (snapshot.Serialize().Length, snapshot.Replication.AckedBySecond.Sum(a => a.Length));
    }

    /// <summary>A twin with something of everything: faults past, running and scheduled, a pending change, a restore, a cutover, limits.</summary>
    private static async Task<EstateTwin> BusyTwinAsync()
    {
        var twin = Twins.Create(seed: 21);
        twin.Inject(new FaultSpec(FaultKind.Outage, "eu-west-1", Delay: TimeSpan.FromMinutes(2), Duration: TimeSpan.FromMinutes(2)));
        twin.Inject(new FaultSpec(FaultKind.Partition, "eu-central-1", PeerRegion: "eu-north-1", Duration: TimeSpan.FromMinutes(30)));
        twin.Inject(new FaultSpec(FaultKind.Throttle, "eu-central-1", Client: "tenant-05"));
        twin.Inject(new FaultSpec(FaultKind.Flap, "eu-north-1", Magnitude: 0.3, Delay: TimeSpan.FromMinutes(7), Duration: TimeSpan.FromMinutes(20)));
        twin.Inject(new FaultSpec(FaultKind.BadDeploy, "eu-west-1", Magnitude: 0.1, Delay: TimeSpan.FromMinutes(5), Duration: TimeSpan.FromMinutes(2)));
        twin.Run(TimeSpan.FromMinutes(8));
        await ((IRegionScaler)twin).SetScaleAsync("eu-central-1", 1.5, default);
        await ((IClientThrottler)twin).SetClientLimitAsync("eu-central-1", "tenant-05", 50, default);
        var table = twin.Estate.Tables[0].Name;
        await ((IGlobalTableAdmin)twin).RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest(table, "orders-restored", "eu-west-1", twin.Now - TimeSpan.FromMinutes(6), false), default);
        await ((ITrafficRouter)twin).ChangeWeightsAsync([new WeightChange("eu-west-1", 0)], "drill", default);
        twin.Run(TimeSpan.FromMinutes(1));
        return twin;
    }

    private static EstateTwin RoundTrip(EstateTwin twin) =>
        EstateTwin.Restore(twin.Estate, new SimulationOptions { Seed = twin.Seed }, TwinSnapshot.Deserialize(twin.Snapshot().Serialize()));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, TruthJson);
}
