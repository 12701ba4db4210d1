using AWorld.Aws.Countermeasures;
using AWorld.Aws.Data;
using AWorld.Aws.Http;
using AWorld.Aws.Telemetry;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Aws;

public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Makes a real AWS account the estate: its options (<c>Estate:Aws</c>, and the hosted zone, set identifiers and
    /// health check ids under <c>Estate</c>), the estate clock (the real one), the credentials and the signed HTTP
    /// client, and an adapter behind every port of the engine. It registers no sandbox: a real account cannot be
    /// copied, so full-speed drills are refused and drills run live, through FIS when it is enabled.
    /// </summary>
    public static IServiceCollection AddAwsEstate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AwsEstateOptions>().Bind(configuration.GetSection(EstateOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsEstateOptions>, AwsEstateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(EstateClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<AwsCredentials>();
        services.TryAddSingleton<AwsHttp>();
        services.TryAddSingleton<AwsPollingCost>();
        return services.AddAwsTelemetry().AddAwsData(configuration).AddAwsCountermeasures(configuration);
    }
}
