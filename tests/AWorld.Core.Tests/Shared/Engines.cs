using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Core.Tests.Shared;

/// <summary>
/// The engine as the console registers it (<c>AddAWorldCore</c> + <c>AddTwinEstate</c>), for tests: from settings as
/// configuration keys, on a fake clock (plain and estate) with in-memory stores, or as the root a drill runner needs.
/// </summary>
internal static class Engines
{
    /// <summary>
    /// Settings over the engine's defaults, on the twin's Immediate cadence (every series every second, final at once) so
    /// that tests of the engines see effects to the second; tests of CloudWatch time set <c>Simulation:MetricCadence</c>.
    /// </summary>
    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>("Simulation:MetricCadence", "Immediate")])
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    /// <summary>
    /// The engine on <paramref name="time"/>: the twin starts at its present and moves when the loop (or a test) advances
    /// it. <paramref name="configure"/> runs first, so a part registered there replaces the engine's.
    /// </summary>
    public static ServiceProvider OnFakeClock(FakeTimeProvider time, IConfiguration? configuration = null, Action<IServiceCollection>? configure = null)
    {
        configuration ??= Configuration();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, time);
        services.AddSingleton<IOperationStore, MemoryOperationStore>();
        services.AddSingleton<IAuditStore, MemoryAuditStore>();
        configure?.Invoke(services);
        services.AddAWorldCore(configuration).AddTwinEstate(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The drill runner of a console with <paramref name="settings"/> (full-speed drills on fresh twins).</summary>
    public static DrillRunner Runner(params (string Key, string? Value)[] settings)
    {
        var configuration = Configuration(settings);
        return new ServiceCollection().AddAWorldCore(configuration).AddTwinEstate(configuration).BuildServiceProvider().GetRequiredService<DrillRunner>();
    }
}
