using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Engine;

public class StateStreamTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void FirstPublication_IsDeliveredAtOnce()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        var seen = new List<long>();
        using var _ = stream.Subscribe(s => Record(seen, s));

        stream.Publish(Snapshot(1, time));

        Assert.Equal([1L], seen);
    }

    [Fact]
    public void PublicationsInsideTheInterval_CoalesceIntoOneCallWithTheLatestSnapshot()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        var seen = new List<long>();
        using var _ = stream.Subscribe(s => Record(seen, s));

        for (var i = 1; i <= 10; i++)
        {
            stream.Publish(Snapshot(i, time));
            time.Advance(TimeSpan.FromMilliseconds(9));
        }

        time.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal([1L, 10L], seen);
    }

    [Fact]
    public void SteadyPublications_AreDeliveredAtMostOncePerInterval()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        var seen = new List<long>();
        using var _ = stream.Subscribe(s => Record(seen, s));

        for (var i = 1; i <= 100; i++)
        {
            stream.Publish(Snapshot(i, time));
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(seen.Count, 9, 11);
    }

    [Fact]
    public void DisposedSubscription_HearsNothingMore()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        var seen = new List<long>();
        var subscription = stream.Subscribe(s => Record(seen, s));
        stream.Publish(Snapshot(1, time));
        stream.Publish(Snapshot(2, time));

        subscription.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        stream.Publish(Snapshot(3, time));

        Assert.Equal([1L], seen);
        Assert.Equal(0, stream.SubscriberCount);
    }

    [Fact]
    public void LateSubscriber_GetsTheCurrentSnapshotImmediately()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        stream.Publish(Snapshot(7, time));
        var seen = new List<long>();

        using var _ = stream.Subscribe(s => Record(seen, s));

        Assert.Equal([7L], seen);
        Assert.True(stream.First.IsCompletedSuccessfully);
    }

    [Fact]
    public void FailingSubscriber_DoesNotStopOthers()
    {
        var time = new FakeTimeProvider();
        var stream = new StateStream<EstateSnapshot>(time, Interval);
        var errors = new List<Exception>();
        var seen = new List<long>();
        using var bad = stream.Subscribe(_ => throw new InvalidOperationException("view broke"), onError: errors.Add);
        using var good = stream.Subscribe(s => Record(seen, s));

        stream.Publish(Snapshot(1, time));

        Assert.Equal([1L], seen);
        Assert.Equal("view broke", Assert.Single(errors).Message);
    }

    private static Task Record(List<long> seen, EstateSnapshot s)
    {
        seen.Add(s.Sequence);
        return Task.CompletedTask;
    }

    private static EstateSnapshot Snapshot(long sequence, TimeProvider time) =>
        new(sequence, time.GetUtcNow(), HealthStatus.Healthy, [], [], [], [], new DataAtRisk(0, TimeSpan.Zero), new RecoveryObjectives(TimeSpan.FromHours(24), TimeSpan.FromHours(1)), []);
}
