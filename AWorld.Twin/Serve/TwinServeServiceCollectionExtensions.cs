using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Twin.Serve;

public static class TwinServeServiceCollectionExtensions
{
    /// <summary>
    /// Serves the twin over AWS's protocols: the estate (<c>Estate</c>, with its defaults and validation, as the engine
    /// binds it), the twin from its own registration (<see cref="TwinServiceCollectionExtensions.AddTwinEstate"/>: options,
    /// the accelerated estate clock, one twin behind every port), the clock driver that advances it, the invented AWS
    /// identifiers and one served service per AWS API, each reading the twin through its ports only.
    /// </summary>
    public static IServiceCollection AddTwinServe(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EstateOptions>().Bind(configuration.GetSection(EstateOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EstateOptions>, EstateDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EstateOptions>, EstateOptionsValidator>());
        services.TryAddSingleton<EstateTopology>();
        services.AddTwinEstate(configuration);

        services.TryAddSingleton<TwinIdentifiers>();
        services.TryAddSingleton<ServedItems>();
        services.TryAddSingleton<TwinControl>();
        services.TryAddSingleton<TwinRequestHandler>();
        services.AddHostedService<TwinClockDriver>();
        foreach (var service in new[]
        {
            typeof(CloudWatchService), typeof(Route53Service), typeof(DynamoDbService), typeof(SsmService), typeof(KmsService),
            typeof(FisService), typeof(ApiGatewayService), typeof(LambdaService), typeof(StsService),
        })
        {
            services.TryAddSingleton(service);
            services.AddSingleton(typeof(IServedService), sp => sp.GetRequiredService(service));
        }

        return services;
    }
}
