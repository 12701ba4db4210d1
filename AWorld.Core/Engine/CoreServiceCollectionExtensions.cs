using AWorld.Core.Anomalies;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Engine;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine: every option of the estate, telemetry, anomalies and operations (bound from
    /// <paramref name="configuration"/>, validated at start, every error naming its key), the telemetry core, the anomaly
    /// tracker, the guarded operations path, the countermeasure ladder, the drill host and runner, and the
    /// <see cref="EstateLoop"/> that runs them. It registers no estate and no store: the host adds an estate provider
    /// (<c>AddTwinEstate</c> or an AWS one), which brings the estate clock and every port, and its operation and audit
    /// stores. Uses TryAdd, so a host or a test registers its own part first to swap it.
    /// </summary>
    public static IServiceCollection AddAWorldCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration);
        services.AddOptions<EstateOptions>().Bind(configuration.GetSection(EstateOptions.SectionName)).ValidateOnStart();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AnomalyTrackerOptions>().Bind(configuration.GetSection(AnomalyTrackerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<OperationsOptions>().Bind(configuration.GetSection(OperationsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EstateOptions>, EstateDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EstateOptions>, EstateOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnomalyTrackerOptions>, AnomalyTrackerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>());

        // The plain clock: what people wait on (push throttling, sessions). The estate clock is the provider's.
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<EstateTopology>();
        services.TryAddSingleton<SeriesStore>();
        services.TryAddSingleton<EstateStateStream>();
        services.TryAddSingleton<AnomalyTracker>();
        services.TryAddSingleton<EstateMonitor>();

        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<OperationsStream>();
        services.TryAddSingleton<OperationService>();
        services.TryAddSingleton<OperationExecutor>();
        services.TryAddSingleton<CountermeasurePolicy>();

        services.TryAddSingleton<DrillActivityStream>();
        services.TryAddSingleton<DrillHost>();
        services.TryAddSingleton<DrillRunner>();
        AddObserver<DrillHost>(services);

        services.TryAddSingleton<EstateLoop>();
        return services;
    }

    /// <summary>Makes the singleton <typeparamref name="T"/> one of the loop's observers (once, whatever the calls).</summary>
    public static IServiceCollection AddObserver<T>(this IServiceCollection services)
        where T : class, IEstateObserver
    {
        if (!services.Any(d => d.ServiceType == typeof(IEstateObserver) && d.ImplementationFactory?.Method.ReturnType == typeof(T)))
        {
            services.AddSingleton<IEstateObserver>(Forward<T>);
        }

        return services;
    }

    private static T Forward<T>(IServiceProvider services)
        where T : notnull => services.GetRequiredService<T>();
}
