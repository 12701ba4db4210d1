using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Data;

internal static class AwsDataRegistration
{
    /// <summary>
    /// DynamoDB (global tables, canaries), SSM (table routing), KMS (evidence signing) and the ground truth:
    /// IGlobalTableAdmin, ITableRouting, IGroundTruth (with IClientSuccessSource from CloudWatch), and IEvidenceSigner
    /// only when <c>Estate:Aws:KmsKeyId</c> is configured (read here, at registration: without it the console keeps its
    /// local key file, which it registers after the estate). The ground truth needs the telemetry adapters'
    /// ITrafficObserver, ITrafficRouter, IHealthSource and ICloudWatchMetrics.
    /// </summary>
    public static IServiceCollection AddAwsData(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsDataOptionsValidator>());
        services.TryAddSingleton<AwsSdkClients>();
        services.TryAddSingleton<IGlobalTableAdmin, DynamoDbTableAdmin>();
        services.TryAddSingleton<ITableRouting, SsmTableRouting>();
        services.TryAddSingleton<IClientSuccessSource, CloudWatchClientSuccess>();
        services.TryAddSingleton<IGroundTruth, AwsGroundTruth>();
        if (!string.IsNullOrWhiteSpace(configuration.GetSection(AwsOptions.SectionName)[nameof(AwsOptions.KmsKeyId)]))
        {
            services.TryAddSingleton<IEvidenceSigner, KmsEvidenceSigner>();
        }

        return services;
    }
}
