using AWorld.Core.Anomalies;
using AWorld.Core.Telemetry;
using AWorld.Core.Tests.Shared;

namespace AWorld.Core.Tests.Anomalies;

public sealed class AnomalyTrackerTests
{
    private const int Learn = 300;
    private readonly SeriesStore _store = new();
    private readonly AnomalyTracker _tracker;
    private readonly SeriesDefinition _errors = AnomalyFeed.Series("eu-west-1", EstateMetric.Api5xx);

    public AnomalyTrackerTests()
    {
        _tracker = new AnomalyTracker(_store, new AnomalyTrackerOptions { Detector = new AnomalyDetectorOptions { LearningPoints = Learn }, QuietPoints = 30 });
        _store.Register(_errors.Key);
        _tracker.Register(_errors);
    }

    [Fact]
    public void MinuteData_OneMinutesOutlier_OpensNoEvent_TwoInARow_OpenOneFromTheFirst()
    {
        var store = new SeriesStore();
        var tracker = new AnomalyTracker(store, new AnomalyTrackerOptions { Detector = new AnomalyDetectorOptions { LearningPoints = Learn }, QuietPoints = 30 });
        store.Register(_errors.Key);
        tracker.Register(_errors);
        DateTimeOffset Minute(int i) => AnomalyFeed.Start.AddMinutes(i);
        var i = 0;
        for (; i < 2 * Learn; i++)
        {
            tracker.Observe(_errors.Key, Minute(i), AnomalyFeed.Calm(i));
        }

        // One minute far out, then back: a minute's outlier pages nobody.
        Assert.True(tracker.Observe(_errors.Key, Minute(i++), 5_000)!.Value.IsAnomalous);
        for (var end = i + 60; i < end; i++)
        {
            tracker.Observe(_errors.Key, Minute(i), AnomalyFeed.Calm(i));
        }

        Assert.Empty(tracker.All());

        // Two minutes out in a row: one event, from the first.
        var first = Minute(i);
        tracker.Observe(_errors.Key, Minute(i++), 5_000);
        tracker.Observe(_errors.Key, Minute(i++), 5_000);
        var open = Assert.Single(tracker.All());
        Assert.Equal(first, open.Start);
    }

    [Fact]
    public void CalmSeries_KeepsABandAroundItsValues_AndRaisesNoEvent()
    {
        var end = AnomalyFeed.FeedCalm(_tracker, _errors.Key, 0, 2 * Learn);

        Assert.Empty(_tracker.All());
        var lower = _store.Read(AnomalyTracker.LowerKey(_errors.Key), AnomalyFeed.Start, end);
        var upper = _store.Read(AnomalyTracker.UpperKey(_errors.Key), AnomalyFeed.Start, end);
        Assert.Equal(2 * Learn, lower.Count);
        Assert.Equal(lower.Select(p => p.At), upper.Select(p => p.At));
        var last = lower.Count - 1;
        Assert.InRange(AnomalyFeed.Calm(last), lower[last].Value, upper[last].Value);
        Assert.Empty(_store.Read(AnomalyTracker.MarkKey(_errors.Key), AnomalyFeed.Start, end));
    }

    [Fact]
    public void Spike_OpensAnEventWithItsPeakAndBand_MarksThePoint_AndEndsAfterQuietPoints()
    {
        var at = AnomalyFeed.FeedCalm(_tracker, _errors.Key, 0, 2 * Learn);
        _tracker.Observe(_errors.Key, at, 5_000);

        var open = Assert.Single(_tracker.Recent(at));
        Assert.True(open.IsOpen);
        Assert.True(open.IsRise);
        Assert.Equal(("eu-west-1", ServiceKind.ApiGateway, EstateMetric.Api5xx, at, 5_000d), (open.Region, open.Service, open.Metric, open.Start, open.PeakValue));
        Assert.True(open.Upper < 5_000, $"the band at the peak ({open.Lower}–{open.Upper}) should not contain the spike");
        Assert.InRange(open.PeakScore, 0, 1);
        Assert.Equal(5_000, Assert.Single(_store.Read(AnomalyTracker.MarkKey(_errors.Key), at, at)).Value);

        var after = AnomalyFeed.FeedCalm(_tracker, _errors.Key, (2 * Learn) + 1, 200);

        var ended = Assert.Single(_tracker.All());
        Assert.False(ended.IsOpen);
        Assert.Equal(open.Id, ended.Id);
        Assert.InRange(ended.End!.Value, at.AddSeconds(30), after);
        Assert.Same(ended, _tracker.Find(open.Id));
    }

    [Fact]
    public void EndedEvents_LeaveTheStream_AfterTheRecentWindow_ButStayFindable()
    {
        var at = AnomalyFeed.FeedCalm(_tracker, _errors.Key, 0, 2 * Learn);
        _tracker.Observe(_errors.Key, at, 5_000);
        AnomalyFeed.FeedCalm(_tracker, _errors.Key, (2 * Learn) + 1, 200);
        var ended = Assert.Single(_tracker.All());

        Assert.Single(_tracker.Recent(ended.End!.Value.AddMinutes(59)));
        Assert.Empty(_tracker.Recent(ended.End.Value.AddMinutes(61)));
        Assert.NotNull(_tracker.Find(ended.Id));
    }

    [Fact]
    public void UnregisteredSeries_IsNotObserved()
    {
        Assert.Null(_tracker.Observe("nowhere/Api5xx", AnomalyFeed.Start, 1));
    }
}
