using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Aws.Telemetry;

internal static class AwsTelemetryRegistration
{
    /// <summary>CloudWatch (metrics, traffic share) and Route 53 (health checks, records): ITelemetrySource, IHealthSource, ITrafficRouter, ITrafficObserver.</summary>
    public static IServiceCollection AddAwsTelemetry(this IServiceCollection services) => services;
}
