using AWorld.Core.Anomalies;
using AWorld.Core.Estate;
using AWorld.Core.Simulation;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the estate, its options (validated at start, every error naming its key), the telemetry core and,
    /// when <c>Estate:Provider</c> is Simulation, the twin behind every port. Uses TryAdd so a host or a test can
    /// swap any part first.
    /// </summary>
    public static IServiceCollection AddAWorldCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EstateOptions>().Bind(configuration.GetSection(EstateOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SimulationOptions>().Bind(configuration.GetSection(SimulationOptions.SectionName)).ValidateOnStart();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AnomalyTrackerOptions>().Bind(configuration.GetSection(AnomalyTrackerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EstateOptions>, EstateDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EstateOptions>, EstateOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulationOptions>, SimulationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnomalyTrackerOptions>, AnomalyTrackerOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        var provider = configuration.GetSection(EstateOptions.SectionName).GetValue<EstateProvider?>(nameof(EstateOptions.Provider)) ?? EstateProvider.Simulation;
        if (provider == EstateProvider.Simulation)
        {
            services.TryAddSingleton(sp =>
            {
                var real = sp.GetRequiredService<TimeProvider>();
                return VirtualClock.Accelerated(real, real.GetUtcNow(), sp.GetRequiredService<IOptions<SimulationOptions>>().Value.Speed);
            });
            services.TryAddKeyedSingleton<TimeProvider>(EstateClock.Key, (sp, _) => sp.GetRequiredService<VirtualClock>());
        }
        else
        {
            services.TryAddKeyedSingleton<TimeProvider>(EstateClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        }

        services.TryAddSingleton(sp => EstateTopology.From(sp.GetRequiredService<IOptions<EstateOptions>>().Value));
        services.TryAddSingleton(sp => new SeriesStore(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Store));
        services.TryAddSingleton(sp => new EstateStateStream(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.NotifyInterval));
        services.TryAddSingleton(sp => new EstateMonitor(
            sp.GetRequiredService<EstateTopology>(),
            sp.GetRequiredService<ITelemetrySource>(),
            sp.GetRequiredService<IHealthSource>(),
            sp.GetRequiredService<IGlobalTableAdmin>(),
            sp.GetRequiredService<SeriesStore>(),
            sp.GetRequiredService<EstateStateStream>(),
            sp.GetRequiredKeyedService<TimeProvider>(EstateClock.Key),
            sp.GetRequiredService<IOptions<TelemetryOptions>>().Value,
            sp.GetService<IFaultInjector>(),
            sp.GetRequiredService<AnomalyTracker>()));
        services.TryAddSingleton(sp => new AnomalyTracker(sp.GetRequiredService<SeriesStore>(), sp.GetRequiredService<IOptions<AnomalyTrackerOptions>>().Value));

        if (provider == EstateProvider.Simulation)
        {
            services.TryAddSingleton(sp => new EstateTwin(
                sp.GetRequiredService<EstateTopology>(),
                sp.GetRequiredService<IOptions<SimulationOptions>>().Value,
                sp.GetRequiredKeyedService<TimeProvider>(EstateClock.Key).GetUtcNow()));
            services.TryAddSingleton<ITelemetrySource>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<IHealthSource>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<ITrafficRouter>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<IGlobalTableAdmin>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<IFaultInjector>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<ITrafficObserver>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<IClientThrottler>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<IRegionScaler>(sp => sp.GetRequiredService<EstateTwin>());
            services.TryAddSingleton<ITableRouting>(sp => sp.GetRequiredService<EstateTwin>());
        }

        return services;
    }
}
