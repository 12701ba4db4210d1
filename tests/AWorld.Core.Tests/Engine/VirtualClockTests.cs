using AWorld.Core.Engine;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Engine;

public class VirtualClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accelerated_RunsSpeedTimesFasterThanTheRealClock()
    {
        var real = new FakeTimeProvider(Start);
        var clock = VirtualClock.Accelerated(real, Start, speed: 20);

        real.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(Start.AddSeconds(60), clock.GetUtcNow());
    }

    [Fact]
    public void ChangingSpeed_ContinuesFromTheCurrentTimeWithoutAJump()
    {
        var real = new FakeTimeProvider(Start);
        var clock = VirtualClock.Accelerated(real, Start, speed: 10);
        real.Advance(TimeSpan.FromSeconds(1));

        clock.Speed = 1;
        Assert.Equal(Start.AddSeconds(10), clock.GetUtcNow());
        real.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(Start.AddSeconds(15), clock.GetUtcNow());
    }

    [Fact]
    public void Manual_FiresDueTimersInOrderAtTheirDueTimes()
    {
        var clock = VirtualClock.Manual(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var every10 = clock.CreateTimer(_ => fired.Add(("p", clock.GetUtcNow())), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        using var once = clock.CreateTimer(_ => fired.Add(("o", clock.GetUtcNow())), null, TimeSpan.FromSeconds(15), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([("p", Start.AddSeconds(10)), ("o", Start.AddSeconds(15)), ("p", Start.AddSeconds(20)), ("p", Start.AddSeconds(30))], fired);
        Assert.Equal(Start.AddSeconds(30), clock.GetUtcNow());
    }
}
