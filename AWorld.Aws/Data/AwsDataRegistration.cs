using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Aws.Data;

internal static class AwsDataRegistration
{
    /// <summary>DynamoDB (global tables, canaries), SSM (table routing), KMS (evidence signing) and the ground truth: IGlobalTableAdmin, ITableRouting, IEvidenceSigner, IGroundTruth.</summary>
    public static IServiceCollection AddAwsData(this IServiceCollection services) => services;
}
