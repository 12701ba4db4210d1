using System.Collections.Concurrent;
using AWorld.Core.Drills;

namespace AWorld.Core.Tests.Shared;

/// <summary>A drill run with the twin's truth of every virtual second, kept for the tests that read the same drill.</summary>
internal sealed record RecordedDrill(DrillOutcome Outcome, IReadOnlyList<EstateTruth> Truths)
{
    public DrillReport Report => Outcome.Report;

    public DrillMeasurements Measured => Outcome.Measurements;

    public DateTimeOffset FaultStart => Measured.FaultStart!.Value;

    /// <summary>
    /// Recovery from the truth alone: the first second t at or after the fault such that clients' success is at least
    /// 99% in every second of [t, t + 60 s]. Each truth's ratio covers the second that ended at its time.
    /// </summary>
    public DateTimeOffset? RecoveryFromTruth()
    {
        var seconds = Truths.Select(t => (Start: t.At - TimeSpan.FromSeconds(1), Ratio: t.Clients.LastSecondSuccessRatio))
            .Where(x => x.Start >= FaultStart).ToList();
        for (var i = 0; i + 60 < seconds.Count; i++)
        {
            if (seconds.Skip(i).Take(61).All(x => x.Ratio >= 0.99))
            {
                return seconds[i].Start;
            }
        }

        return null;
    }

    public EstateTruth TruthAt(DateTimeOffset at) => Truths.Single(t => t.At == at);
}

/// <summary>Runs drills on the default estate once per plan and shares the result between tests.</summary>
internal static class DrillRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RecordedDrill>>> Cache = new();

    public static Task<RecordedDrill> GetAsync(string key, DrillPlan plan) =>
        Cache.GetOrAdd(key, _ => new Lazy<Task<RecordedDrill>>(() => RunAsync(plan))).Value;

    public static async Task<RecordedDrill> RunAsync(DrillPlan plan)
    {
        var truths = new List<EstateTruth>();
        var result = await Engines.Runner().RunAsync(plan, new DrillRunSettings(OnSecond: truths.Add));
        Assert.True(result.Succeeded, result.Failure?.Message);
        return new RecordedDrill(result.Value!, truths);
    }
}
