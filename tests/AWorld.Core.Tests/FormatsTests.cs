namespace AWorld.Core.Tests;

public class FormatsTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 5, 7, TimeSpan.Zero);

    [Theory]
    [InlineData(0.4, "0.4 s")]
    [InlineData(9.96, "10.0 s")]
    [InlineData(12.4, "12 s")]
    [InlineData(192, "3 min 12 s")]
    [InlineData(7500, "2 h 5 min")]
    [InlineData(259_200, "72 h 0 min")]
    public void Duration_KeepsTenthsUnderTenSeconds_AndCountsHours(double seconds, string expected) =>
        Assert.Equal(expected, Formats.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0.4, true, "0 s")]
    [InlineData(192, true, "3 min 12 s")]
    [InlineData(7500, true, "2 h 5 min")]
    [InlineData(180_000, true, "2 d 2 h")]
    [InlineData(180_000, false, "50 h 0 min")]
    public void WholeDuration_IsToTheSecond_InDaysFrom48Hours_UnlessAskedForHours(double seconds, bool days, string expected) =>
        Assert.Equal(expected, Formats.WholeDuration(TimeSpan.FromSeconds(seconds), days));

    [Theory]
    [InlineData(0.42, "420 ms")]
    [InlineData(60, "1 min")]
    [InlineData(93_784, "1 d 2 h 3 min 4 s")]
    [InlineData(-3, "-3 s")]
    public void ExactDuration_ShowsEveryUnitItHas(double seconds, string expected) =>
        Assert.Equal(expected, Formats.ExactDuration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(312, "+05:12")]
    [InlineData(-3, "-00:03")]
    [InlineData(3723, "+1:02:03")]
    public void Offset_IsSigned_WithHoursOnlyFromAnHour(double seconds, string expected) =>
        Assert.Equal(expected, Formats.Offset(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(450.2, "450 ms")]
    [InlineData(12_345.0, "12.3 s")]
    [InlineData(125_000.0, "2 min 5 s")]
    [InlineData(null, "—")]
    public void Milliseconds_ReadNaturally(double? ms, string expected) => Assert.Equal(expected, Formats.Milliseconds(ms));

    [Fact]
    public void Numbers_AreInvariant_AndShort()
    {
        Assert.Equal("99.8%", Formats.Percent(0.998));
        Assert.Equal("0.12%", Formats.Percent(0.0012, 2));
        Assert.Equal(Formats.None, Formats.Percent(null));
        Assert.Equal("1.2k/s", Formats.Rate(1234));
        Assert.Equal("640/s", Formats.Rate(640));
        Assert.Equal("3.4M", Formats.Count(3_400_000));
        Assert.Equal("12.3 s", Formats.Seconds(12.34));
        Assert.Equal("12 s", Formats.Seconds(12));
        Assert.Equal("01:05:09", Formats.Elapsed(new TimeSpan(1, 5, 9)));
    }

    [Fact]
    public void Age_IsEmptyWhenFresh()
    {
        Assert.Equal("", Formats.Age(TimeSpan.FromSeconds(95), stale: false));
        Assert.Equal("data 1 min 35 s old", Formats.Age(TimeSpan.FromSeconds(95), stale: true));
        Assert.Equal("no data yet", Formats.Age(null, stale: true));
    }

    [Fact]
    public void Times_AreUtc_WhateverTheOffsetTheyCarry()
    {
        var paris = At.ToOffset(TimeSpan.FromHours(1));

        Assert.Equal("2026-03-02 09:05:07 UTC", Formats.Utc(paris));
        Assert.Equal("2026-03-02 09:05:07", Formats.UtcDateTime(paris));
        Assert.Equal("2026-03-02 09:05:07Z", Formats.UtcStamp(paris));
        Assert.Equal("09:05:07 UTC", Formats.UtcTime(paris));
        Assert.Equal("09:05:07Z", Formats.UtcClock(paris));
        Assert.Equal(Formats.None, Formats.Utc(null));
    }
}
