using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Twin;

public static class TwinServiceCollectionExtensions
{
    /// <summary>
    /// Makes the twin the estate: its options (<c>Simulation</c>, validated at start), the estate clock (a
    /// <see cref="VirtualClock"/> that follows the plain clock at <see cref="SimulationOptions.Speed"/>), one
    /// <see cref="EstateTwin"/> behind every port of the engine, and its sandbox for full-speed drills. Uses TryAdd, so a
    /// test registers its own clock first (a manual one, or a fake plain clock the virtual one follows).
    /// </summary>
    public static IServiceCollection AddTwinEstate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulationOptions>().Bind(configuration.GetSection(SimulationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulationOptions>, SimulationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(AcceleratedClock);
        services.TryAddKeyedSingleton<TimeProvider>(EstateClock.Key, (sp, _) => sp.GetRequiredService<VirtualClock>());

        services.TryAddSingleton<EstateTwin>();
        Port<ITelemetrySource>(services);
        Port<IHealthSource>(services);
        Port<ITrafficRouter>(services);
        Port<IGlobalTableAdmin>(services);
        Port<IFaultInjector>(services);
        Port<ITrafficObserver>(services);
        Port<IClientThrottler>(services);
        Port<IRegionScaler>(services);
        Port<ITableRouting>(services);
        Port<IGroundTruth>(services);
        if (!services.Any(d => d.ServiceType == typeof(ISimulatedEstate)))
        {
            services.AddSingleton<ISimulatedEstate>(sp => sp.GetRequiredService<EstateTwin>());
        }

        services.TryAddSingleton<IEstateSandbox, TwinSandbox>();
        return services;
    }

    /// <summary>The live console's estate clock: real time (or faster), from the plain clock's present.</summary>
    private static VirtualClock AcceleratedClock(IServiceProvider services)
    {
        var real = services.GetRequiredService<TimeProvider>();
        return VirtualClock.Accelerated(real, real.GetUtcNow(), services.GetRequiredService<IOptions<SimulationOptions>>().Value.Speed);
    }

    private static void Port<T>(IServiceCollection services)
        where T : class => services.TryAddSingleton<T>(sp => (T)(object)sp.GetRequiredService<EstateTwin>());
}

/// <summary>Fresh twins for full-speed runs: each on its own manual clock, seeded, from the same configuration.</summary>
public sealed class TwinSandbox : IEstateSandbox
{
    public VirtualClock AddFreshEstate(IServiceCollection services, IConfiguration configuration, long seed, DateTimeOffset? start)
    {
        var defaults = new SimulationOptions();
        configuration.GetSection(SimulationOptions.SectionName).Bind(defaults);
        var at = start ?? defaults.StartTime;
        var clock = VirtualClock.Manual(new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, clock);
        services.AddTwinEstate(configuration);
        services.PostConfigure<SimulationOptions>(o => o.Seed = seed);
        return clock;
    }
}
