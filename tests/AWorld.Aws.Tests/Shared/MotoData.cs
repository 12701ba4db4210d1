using System.Xml.Linq;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using AWorld.Aws.Data;
using AWorld.Aws.Http;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Shared;

/// <summary>Builds the data adapters' clients against moto and sets up what the tests need in it, through the SDK itself.</summary>
internal static class MotoData
{
    public static AwsSdkClients Clients(AwsOptions options) => new(Options.Create(options), new AwsCredentials(Options.Create(options)));

    public static IAmazonDynamoDB DynamoDb(this AwsSdkClients clients, string region) => clients.Client<IAmazonDynamoDB>(AwsService.DynamoDb, region, AwsPurpose.Read);

    /// <summary>A table with a string partition key, on demand; point-in-time recovery on when asked.</summary>
    public static async Task CreateTableAsync(this AwsSdkClients clients, string region, string table, string key = "pk", bool pitr = false)
    {
        var dynamo = clients.DynamoDb(region);
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement(key, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(key, ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        if (pitr)
        {
            await dynamo.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = table,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
        }
    }

    public static async Task PutAsync(this AwsSdkClients clients, string region, string table, string key, string value, string keyAttribute = "pk") =>
        await clients.DynamoDb(region).PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new Dictionary<string, AttributeValue> { [keyAttribute] = new() { S = value }, ["body"] = new() { S = $"item {value}" } },
        });

    public static async Task<List<string>> TablesAsync(this AwsSdkClients clients, string region) =>
        (await clients.DynamoDb(region).ListTablesAsync(new ListTablesRequest())).TableNames ?? [];

    /// <summary>
    /// An IAM user whose inline policy allows only <paramref name="allowedActions"/>, and its access key, created while
    /// moto does not check access (its default).
    /// </summary>
    public static async Task<(string AccessKeyId, string SecretAccessKey)> CreateUserAsync(MotoServer moto, string user, params string[] allowedActions)
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{string.Join(",", allowedActions.Select(a => $"\"{a}\""))}}],"Resource":"*"}]}""";
        await IamAsync(moto, new() { ["Action"] = "CreateUser", ["UserName"] = user });
        await IamAsync(moto, new() { ["Action"] = "PutUserPolicy", ["UserName"] = user, ["PolicyName"] = "aworld-test", ["PolicyDocument"] = policy });
        var key = await IamAsync(moto, new() { ["Action"] = "CreateAccessKey", ["UserName"] = user });
        string Value(string name) => key.Descendants().First(e => e.Name.LocalName == name).Value;
        return (Value("AccessKeyId"), Value("SecretAccessKey"));
    }

    /// <summary>Turns moto's IAM checks on (every request is authenticated and authorized from here) or off again.</summary>
    public static async Task EnforceIamAsync(MotoServer moto, bool enforce)
    {
        using var http = new HttpClient();
        using var body = new StringContent(enforce ? "0" : "inf");
        using var response = await http.PostAsync(new Uri(moto.Endpoint, "moto-api/reset-auth"), body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<XDocument> IamAsync(MotoServer moto, Dictionary<string, string> form)
    {
        form["Version"] = "2010-05-08";
        using var signer = new SigV4SigningHandler(new BasicAWSCredentials(MotoServer.AccessKeyId, MotoServer.SecretAccessKey), RegionEndpoint.USEast1, "iam", new HttpClientHandler());
        using var http = new HttpClient(signer);
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(moto.Endpoint, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"IAM {form["Action"]} failed: {text}");
        return XDocument.Parse(text);
    }
}
