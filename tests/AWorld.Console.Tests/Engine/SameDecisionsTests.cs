using AWorld.Console.Drills;
using AWorld.Console.Tests.Shared;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Console.Tests.Engine;

/// <summary>
/// A drill exists to prove the console's own pipeline: the same seed and the same fault, run live in the console (its
/// hosted driver's loop, its SQLite stores) and headless at full speed (a fresh twin from the same registration, in
/// memory), must take the same decisions at the same moments.
/// </summary>
public sealed class SameDecisionsTests
{
    private const long Seed = 44;

    [Fact]
    public async Task RegionOutage_LiveInTheConsole_AndHeadless_TakeTheSameDecisions_AndDetectInTheSameSecond()
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var plan = new DrillPlan(DrillScenario.RegionOutage, "eu-west-1", ResponsePolicy.Automatic, Seed: Seed);
        using var console = new ConsoleFactory(start: start);
        console.Settings["Simulation:Seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var services = console.Services;

        // Live: the console's estate warms up as the headless one does, then the drill's fault goes in at once.
        await console.AdvanceAsync(plan.EffectiveWarmup);
        var started = await services.GetRequiredService<DrillCommands>().StartAsync(
            new DrillRequest("region-outage", "eu-west-1", "automatic", "live", Seed), new Actor("operator", RoleNames.Operator));
        Assert.True(started.Succeeded, started.Failure?.Message);
        var host = services.GetRequiredService<DrillHost>();
        for (var s = 0; s < 3600 && host.Live is not null; s++)
        {
            await console.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Null(host.Live);
        var live = (await services.GetRequiredService<DrillRepository>().ReportAsync(started.Value!))!;
        var liveOperations = (await services.GetRequiredService<OperationService>().BoardAsync()).Operations;

        // Headless: the console's own runner, on a fresh twin that starts where the console's did.
        var headless = await services.GetRequiredService<DrillRunner>().RunAsync(plan, new DrillRunSettings(StartAt: start));
        Assert.True(headless.Succeeded, headless.Failure?.Message);

        var expected = Decisions(headless.Value!.Operations);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Decisions(liveOperations));
        Assert.Equal(headless.Value.Report.Detection, live.Detection);
        Assert.Equal(Detected(headless.Value.Report), Detected(live));
        Assert.Equal(headless.Value.Report.Rto.Achieved, live.Rto.Achieved);
    }

    /// <summary>Every decision and step, without the operations' random ids.</summary>
    private static List<string> Decisions(IEnumerable<Operation> operations) =>
    [
        .. operations.OrderBy(o => o.RequestedAt).SelectMany(o => new[]
        {
            $"{o.RequestedAt:O} {o.Request.Kind} {o.Request.From}->{o.Plan.To} by {o.RequestedBy}: {o.Request.Reason}",
            $"  approved by {o.ApprovedBy} at {o.ApprovedAt:O}; {o.State} at {o.FinishedAt:O}: {o.Outcome}",
        }.Concat(o.Journal.Select(j => $"  step {j.Index} {j.Status} at {j.At:O}: {j.Detail}"))),
    ];

    private static DateTimeOffset? Detected(DrillReport report) => report.Timeline.FirstOrDefault(e => e.Kind == DrillEventKinds.Detection)?.At;
}
