using AWorld.Core.Drills;
using AWorld.Core.Estate;

namespace AWorld.Twin.Tests;

/// <summary>
/// Builds twins of the default estate (or a variant) for tests, on the Immediate cadence (every second at once) so a
/// test of the twin's behaviour reads its effects to the second; the CloudWatch cadence's own tests ask for it.
/// </summary>
internal static class Twins
{
    public static EstateTwin Create(long seed = 7, Action<EstateOptions>? estate = null, Action<SimulationOptions>? simulation = null)
    {
        var estateOptions = new EstateOptions();
        estate?.Invoke(estateOptions);
        var options = new SimulationOptions { Seed = seed, MetricCadence = MetricCadence.Immediate };
        simulation?.Invoke(options);
        return new EstateTwin(EstateTopology.From(estateOptions), options);
    }

    public static void Run(this EstateTwin twin, TimeSpan duration) => twin.AdvanceTo(twin.Now + duration);

    /// <summary>Steps second by second until <paramref name="condition"/> holds; returns the seconds it took, or null.</summary>
    public static long? StepUntil(this EstateTwin twin, Func<EstateTruth, bool> condition, TimeSpan limit)
    {
        var seconds = (long)limit.TotalSeconds;
        for (long s = 0; s <= seconds; s++)
        {
            if (condition(twin.Truth()))
            {
                return s;
            }

            twin.Step();
        }

        return null;
    }
}
