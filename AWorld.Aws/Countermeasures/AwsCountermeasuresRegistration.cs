using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Countermeasures;

internal static class AwsCountermeasuresRegistration
{
    /// <summary>
    /// API Gateway usage plans, Lambda concurrency and FIS: IClientThrottler (only when <c>Estate:Aws:Throttling</c> has a
    /// region: without it the ladder has no throttling rung), IRegionScaler (only when <c>Estate:Aws:Scaling</c> has one),
    /// IFaultInjector always (it refuses while <c>Estate:Aws:Fis:Enabled</c> is false), their clients and the options'
    /// validator. TryAdd, so a test registers its own part first.
    /// </summary>
    public static IServiceCollection AddAwsCountermeasures(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsCountermeasuresOptionsValidator>());
        var section = configuration.GetSection(AwsOptions.SectionName);
        if (section.GetSection(nameof(AwsOptions.Throttling)).GetChildren().Any())
        {
            services.TryAddSingleton<ApiGatewayClient>();
            services.TryAddSingleton<IClientThrottler, UsagePlanThrottler>();
        }

        if (section.GetSection(nameof(AwsOptions.Scaling)).GetChildren().Any())
        {
            services.TryAddSingleton<LambdaClient>();
            services.TryAddSingleton<IRegionScaler, LambdaScaler>();
        }

        services.TryAddSingleton<FisClient>();
        services.TryAddSingleton<IFaultInjector, FisFaultInjector>();
        return services;
    }
}
