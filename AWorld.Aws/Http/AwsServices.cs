namespace AWorld.Aws.Http;

/// <summary>Names, signing names and default endpoints of the services the adapters call.</summary>
public static class AwsServices
{
    public static string DisplayName(AwsService service) => service switch
    {
        AwsService.CloudWatch => "CloudWatch",
        AwsService.Route53 => "Route53",
        AwsService.DynamoDb => "DynamoDB",
        AwsService.Ssm => "SSM",
        AwsService.Kms => "KMS",
        AwsService.Fis => "FIS",
        AwsService.ApiGateway => "APIGateway",
        AwsService.Lambda => "Lambda",
        AwsService.Sts => "STS",
        _ => service.ToString(),
    };

    /// <summary>The service name in the SigV4 credential scope.</summary>
    public static string SigningName(AwsService service) => service switch
    {
        AwsService.CloudWatch => "monitoring",
        AwsService.Route53 => "route53",
        AwsService.DynamoDb => "dynamodb",
        AwsService.Ssm => "ssm",
        AwsService.Kms => "kms",
        AwsService.Fis => "fis",
        AwsService.ApiGateway => "apigateway",
        AwsService.Lambda => "lambda",
        AwsService.Sts => "sts",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    /// <summary>AWS's own endpoint of a service in a region (Route 53's is global).</summary>
    public static Uri DefaultEndpoint(AwsService service, string region) => service switch
    {
        AwsService.Route53 => new Uri("https://route53.amazonaws.com/"),
        AwsService.CloudWatch => new Uri($"https://monitoring.{region}.amazonaws.com/"),
        AwsService.ApiGateway => new Uri($"https://apigateway.{region}.amazonaws.com/"),
        _ => new Uri($"https://{SigningName(service)}.{region}.amazonaws.com/"),
    };
}
