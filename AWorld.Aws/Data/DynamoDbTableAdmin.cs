using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model.Internal.MarshallTransformations;
using AWorld.Core.Estate;
using Sdk = Amazon.DynamoDBv2.Model;

namespace AWorld.Aws.Data;

/// <summary>
/// <see cref="IGlobalTableAdmin"/> against DynamoDB: <c>DescribeTable</c>, <c>DescribeContinuousBackups</c> and
/// <c>RestoreTableToPointInTime</c> (a write: refused as a dry run unless <see cref="AwsOptions.AllowWrites"/>), in the
/// region named by each call. Errors keep DynamoDB's codes (<c>ResourceNotFoundException</c>,
/// <c>TableAlreadyExistsException</c>, <c>InvalidRestoreTimeException</c>, <c>PointInTimeRecoveryUnavailableException</c>).
/// </summary>
/// <remarks>Thread-safe and stateless.</remarks>
public sealed class DynamoDbTableAdmin(AwsSdkClients clients) : IGlobalTableAdmin
{
    public async Task<TableDescription> DescribeTableAsync(string tableName, string region, CancellationToken cancellationToken) =>
        Map(await DescribeAsync(clients, tableName, region, cancellationToken), region);

    public async Task<ContinuousBackupsDescription> DescribeContinuousBackupsAsync(string tableName, string region, CancellationToken cancellationToken)
    {
        var response = await clients.ReadAsync<IAmazonDynamoDB, Sdk.DescribeContinuousBackupsResponse>(
            AwsService.DynamoDb, region, "dynamodb:DescribeContinuousBackups",
            (client, token) => client.DescribeContinuousBackupsAsync(new Sdk.DescribeContinuousBackupsRequest { TableName = tableName }, token),
            cancellationToken);
        var pitr = response.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
        var enabled = pitr?.PointInTimeRecoveryStatus == Amazon.DynamoDBv2.PointInTimeRecoveryStatus.ENABLED;
        return new ContinuousBackupsDescription(
            tableName,
            region,
            enabled,
            enabled ? Utc(pitr!.EarliestRestorableDateTime) : null,
            enabled ? Utc(pitr!.LatestRestorableDateTime) : null,
            pitr?.RecoveryPeriodInDays ?? 0);
    }

    public async Task<TableDescription> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken)
    {
        var sdk = new Sdk.RestoreTableToPointInTimeRequest
        {
            SourceTableName = request.SourceTableName,
            TargetTableName = request.TargetTableName,
        };
        if (request.UseLatestRestorableTime)
        {
            sdk.UseLatestRestorableTime = true;
        }
        else
        {
            sdk.RestoreDateTime = (request.RestoreDateTime ?? throw new ArgumentException("A restore names a point in time or asks for the latest restorable time.", nameof(request))).UtcDateTime;
        }

        var response = await clients.WriteAsync<IAmazonDynamoDB, Sdk.RestoreTableToPointInTimeRequest, Sdk.RestoreTableToPointInTimeResponse>(
            AwsService.DynamoDb, request.Region, "dynamodb:RestoreTableToPointInTime", sdk, RestoreTableToPointInTimeRequestMarshaller.Instance,
            (client, r, token) => client.RestoreTableToPointInTimeAsync(r, token),
            cancellationToken);
        return Map(response.TableDescription, request.Region);
    }

    /// <summary>DynamoDB's own description of a table (with what the port leaves out, e.g. <c>ItemCount</c>).</summary>
    internal static async Task<Sdk.TableDescription> DescribeAsync(AwsSdkClients clients, string tableName, string region, CancellationToken cancellationToken) =>
        (await clients.ReadAsync<IAmazonDynamoDB, Sdk.DescribeTableResponse>(
            AwsService.DynamoDb, region, "dynamodb:DescribeTable",
            (client, token) => client.DescribeTableAsync(new Sdk.DescribeTableRequest { TableName = tableName }, token),
            cancellationToken)).Table;

    internal static TableDescription Map(Sdk.TableDescription table, string region) => new(
        table.TableName,
        region,
        Status(table.TableStatus?.Value),
        [.. (table.Replicas ?? []).Select(r => new ReplicaDescription(r.RegionName, r.ReplicaStatus?.Value ?? ""))],
        Utc(table.CreationDateTime) ?? DateTimeOffset.MinValue,
        Map(table.RestoreSummary, region));

    /// <summary>
    /// AWS names the source by ARN only (<c>SourceTableArn</c>, or <c>SourceBackupArn</c> for a restore from a backup):
    /// the table's name and region are read from it.
    /// </summary>
    internal static RestoreSummary? Map(Sdk.RestoreSummary? summary, string region)
    {
        if (summary is null)
        {
            return null;
        }

        var (source, sourceRegion) = FromArn(summary.SourceTableArn ?? summary.SourceBackupArn);
        return new RestoreSummary(source, sourceRegion ?? region, Utc(summary.RestoreDateTime) ?? DateTimeOffset.MinValue, summary.RestoreInProgress ?? false);
    }

    /// <summary><c>arn:aws:dynamodb:eu-west-1:123456789012:table/orders[/backup/…]</c> → (orders, eu-west-1).</summary>
    internal static (string Table, string? Region) FromArn(string? arn)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return ("", null);
        }

        var parts = arn.Split(':', 6);
        if (parts.Length < 6 || !parts[5].StartsWith("table/", StringComparison.Ordinal))
        {
            return (arn, null);
        }

        var resource = parts[5]["table/".Length..];
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? resource : resource[..slash], string.IsNullOrEmpty(parts[3]) ? null : parts[3]);
    }

    internal static DateTimeOffset? Utc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        { } other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc), TimeSpan.Zero),
    };

    private static AWorld.Core.Estate.TableStatus Status(string? status) => status switch
    {
        "CREATING" => AWorld.Core.Estate.TableStatus.Creating,
        "ACTIVE" => AWorld.Core.Estate.TableStatus.Active,
        "UPDATING" => AWorld.Core.Estate.TableStatus.Updating,
        "DELETING" => AWorld.Core.Estate.TableStatus.Deleting,
        // INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING, ARCHIVED: the table cannot be used.
        _ => AWorld.Core.Estate.TableStatus.Inaccessible,
    };
}
