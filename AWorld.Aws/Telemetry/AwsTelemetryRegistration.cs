using AWorld.Aws.Routing;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AWorld.Aws.Telemetry;

internal static class AwsTelemetryRegistration
{
    /// <summary>CloudWatch (metrics, traffic share) and Route 53 (health checks, records): ITelemetrySource, IHealthSource, ITrafficRouter, ITrafficObserver.</summary>
    /// <remarks>
    /// Needs <see cref="Http.AwsHttp"/>, the options and the topology (registered by <c>AddAwsEstate</c> and the engine).
    /// Every adapter is a stateless singleton; <c>TryAdd</c> lets a test or a host put its own part in first.
    /// </remarks>
    public static IServiceCollection AddAwsTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<CloudWatchClient>();

        // The same client behind the port the other adapters share: a forward, not a second instance.
        services.TryAddSingleton<ICloudWatchMetrics>(sp => sp.GetRequiredService<CloudWatchClient>());
        services.TryAddSingleton<Route53Client>();
        services.TryAddSingleton<ITelemetrySource, CloudWatchTelemetrySource>();
        services.TryAddSingleton<IHealthSource, Route53HealthSource>();
        services.TryAddSingleton<ITrafficRouter, Route53TrafficRouter>();
        services.TryAddSingleton<ITrafficObserver, CloudWatchTrafficObserver>();
        return services;
    }
}
