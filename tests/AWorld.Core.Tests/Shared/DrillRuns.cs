using System.Collections.Concurrent;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Twin;

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

    /// <summary>The engine's defaults: restores (38 virtual minutes for the 40 GB players table) have their own 6 h timeout.</summary>
    public static OperationsOptions Operations => new();

    public static Task<RecordedDrill> GetAsync(string key, DrillPlan plan) =>
        Cache.GetOrAdd(key, _ => new Lazy<Task<RecordedDrill>>(() => RunAsync(plan))).Value;

    public static async Task<RecordedDrill> RunAsync(DrillPlan plan)
    {
        var truths = new List<EstateTruth>();
        var runner = new DrillRunner(EstateTopology.Default, new SimulationOptions(), operations: Operations);
        var result = await runner.RunAsync(plan, truths.Add);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return new RecordedDrill(result.Outcome!, truths);
    }
}
