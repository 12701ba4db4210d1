using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Aws.Countermeasures;

internal static class AwsCountermeasuresRegistration
{
    /// <summary>API Gateway usage plans, Lambda concurrency and FIS: IClientThrottler, IRegionScaler, IFaultInjector.</summary>
    public static IServiceCollection AddAwsCountermeasures(this IServiceCollection services) => services;
}
