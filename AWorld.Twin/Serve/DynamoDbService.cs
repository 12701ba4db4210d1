using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AWorld.Core.Estate;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>
/// DynamoDB over JSON 1.0 (<c>DynamoDB_20120810.*</c>), from the twin's global tables (<see cref="IGlobalTableAdmin"/>):
/// DescribeTable (replicas, and RestoreSummary for a restored table), DescribeContinuousBackups (the PITR window),
/// RestoreTableToPointInTime (into a new table, CREATING for a time proportional to the source's size), and
/// PutItem/GetItem of whole items by their key <see cref="KeyAttribute"/> (<see cref="ServedItems"/>: what a canary
/// writer needs, no expressions). Every table has the key schema <c>pk</c> (string, HASH). A region that is down
/// answers 503, as the twin's ports throw.
/// </summary>
internal sealed class DynamoDbService(EstateTopology estate, IGlobalTableAdmin tables, EstateTwin twin, ServedItems items) : IServedService
{
    public const string KeyAttribute = "pk";
    private static readonly WireDialect Dialect = new(WireProtocol.AwsJson10, "com.amazonaws.dynamodb.v20120810#");

    public string SigningName => "dynamodb";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var body = AwsWire.ParseJson(call.Body);
        var ct = call.Http.RequestAborted;
        try
        {
            JsonObject answer = call.TargetOperation switch
            {
                "DescribeTable" => new JsonObject { ["Table"] = Describe(await tables.DescribeTableAsync(body.Required("TableName"), call.Region, ct)) },
                "DescribeContinuousBackups" => await ContinuousBackupsAsync(body.Required("TableName"), call.Region, ct),
                "RestoreTableToPointInTime" => new JsonObject { ["TableDescription"] = Describe(await tables.RestoreTableToPointInTimeAsync(RestoreRequest(body, call.Region), ct)) },
                "PutItem" => await PutItemAsync(body, call.Region, ct),
                "GetItem" => await GetItemAsync(body, call.Region, ct),
                _ => throw AwsErrorException.BadRequest("UnknownOperationException", $"The served twin's DynamoDB has no operation {call.TargetOperation}."),
            };
            await call.JsonAsync(answer);
        }
        catch (EstateServiceException e)
        {
            // DynamoDB names a missing source table of a backup call TableNotFoundException.
            var backupCall = call.TargetOperation is "DescribeContinuousBackups" or "RestoreTableToPointInTime";
            throw AwsErrorException.From(e, rename: code => backupCall && code == "ResourceNotFoundException" ? "TableNotFoundException" : code);
        }
    }

    private async Task<JsonObject> ContinuousBackupsAsync(string table, string region, CancellationToken ct)
    {
        if (estate.Tables.Any(t => t.Name == table))
        {
            var pitr = await tables.DescribeContinuousBackupsAsync(table, region, ct);
            return Backups(new JsonObject
            {
                ["PointInTimeRecoveryStatus"] = pitr.PointInTimeRecoveryEnabled ? "ENABLED" : "DISABLED",
                ["RecoveryPeriodInDays"] = pitr.RecoveryPeriodInDays,
                ["EarliestRestorableDateTime"] = pitr.EarliestRestorableDateTime is { } e ? AwsWire.Epoch(e) : null,
                ["LatestRestorableDateTime"] = pitr.LatestRestorableDateTime is { } l ? AwsWire.Epoch(l) : null,
            });
        }

        // A restored table exists (or this throws) but starts without PITR, as in DynamoDB.
        await tables.DescribeTableAsync(table, region, ct);
        return Backups(new JsonObject { ["PointInTimeRecoveryStatus"] = "DISABLED" });

        static JsonObject Backups(JsonObject pitr) => new()
        {
            ["ContinuousBackupsDescription"] = new JsonObject { ["ContinuousBackupsStatus"] = "ENABLED", ["PointInTimeRecoveryDescription"] = pitr },
        };
    }

    private static RestoreTableToPointInTimeRequest RestoreRequest(JsonObject body, string region)
    {
        var source = body.String("SourceTableName");
        if (source is null && body.String("SourceTableArn") is { } arn)
        {
            // arn:aws:dynamodb:REGION:ACCOUNT:table/NAME
            var parts = arn.Split(':');
            if (parts.Length != 6 || !parts[5].StartsWith("table/", StringComparison.Ordinal) || parts[3] != region)
            {
                throw AwsErrorException.BadRequest("ValidationException", $"SourceTableArn '{arn}' is not a table of {region}; the served twin restores within a region.");
            }

            source = parts[5]["table/".Length..];
        }

        var latest = body.Bool("UseLatestRestorableTime") ?? false;
        DateTimeOffset? at = AwsWire.TryTimestamp(body["RestoreDateTime"], out var t) ? t : null;
        if (source is null || (!latest && at is null))
        {
            throw AwsErrorException.BadRequest("ValidationException", "Give SourceTableName (or SourceTableArn), TargetTableName and RestoreDateTime or UseLatestRestorableTime=true.");
        }

        return new RestoreTableToPointInTimeRequest(source, body.Required("TargetTableName"), region, latest ? null : at, latest);
    }

    private async Task<JsonObject> PutItemAsync(JsonObject body, string region, CancellationToken ct)
    {
        var table = body.Required("TableName");
        var item = body["Item"] as JsonObject ?? throw AwsErrorException.BadRequest("ValidationException", "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
        var replicas = await ItemTableAsync(table, region, ct);
        items.Put(table, region, Key(item), item, replicas);
        return [];
    }

    private async Task<JsonObject> GetItemAsync(JsonObject body, string region, CancellationToken ct)
    {
        var table = body.Required("TableName");
        var key = body["Key"] as JsonObject ?? throw AwsErrorException.BadRequest("ValidationException", "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
        if (key.Count != 1)
        {
            throw AwsErrorException.BadRequest("ValidationException", $"The provided key element does not match the schema: the key is '{KeyAttribute}' alone.");
        }

        await ItemTableAsync(table, region, ct);
        return items.Get(table, region, Key(key)) is { } found ? new JsonObject { ["Item"] = found } : [];
    }

    /// <summary>Checks that the table is in the region and the region answers; returns the table's other replica regions.</summary>
    private async Task<IReadOnlyCollection<string>> ItemTableAsync(string table, string region, CancellationToken ct)
    {
        if (twin.IsRegionDown(region))
        {
            throw new AwsErrorException(503, "ServiceUnavailable", "The service is unavailable in this region.");
        }

        var description = await tables.DescribeTableAsync(table, region, ct);
        return description.RestoreSummary is null ? [.. description.Replicas.Select(r => r.Region).Where(r => r != region)] : [];
    }

    private static string Key(JsonObject item) =>
        item[KeyAttribute] is JsonObject value && value.Count == 1 && value.First().Key is "S" or "N" or "B"
            ? value.ToJsonString()
            : throw AwsErrorException.BadRequest("ValidationException", $"One of the required keys was not given a value: '{KeyAttribute}' (a string, number or binary).");

    private JsonObject Describe(TableDescription t)
    {
        var arn = TableArn(t.Region, t.TableName);
        var source = estate.Tables.FirstOrDefault(g => g.Name == (t.RestoreSummary?.SourceTableName ?? t.TableName));
        var table = new JsonObject
        {
            ["AttributeDefinitions"] = new JsonArray(new JsonObject { ["AttributeName"] = KeyAttribute, ["AttributeType"] = "S" }),
            ["TableName"] = t.TableName,
            ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = KeyAttribute, ["KeyType"] = "HASH" }),
            ["TableStatus"] = t.Status switch
            {
                TableStatus.Creating => "CREATING",
                TableStatus.Updating => "UPDATING",
                TableStatus.Deleting => "DELETING",
                TableStatus.Inaccessible => "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
                _ => "ACTIVE",
            },
            ["CreationDateTime"] = AwsWire.Epoch(t.CreationDateTime),
            ["TableSizeBytes"] = (long)((source?.SizeGb ?? 0) * 1e9),
            ["TableArn"] = arn,
            ["TableId"] = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(arn))[..16]).ToString("D"),
            ["BillingModeSummary"] = new JsonObject { ["BillingMode"] = "PAY_PER_REQUEST" },
        };
        if (t.Replicas.Length > 0)
        {
            table["StreamSpecification"] = new JsonObject { ["StreamEnabled"] = true, ["StreamViewType"] = "NEW_AND_OLD_IMAGES" };
            table["GlobalTableVersion"] = "2019.11.21";
            table["Replicas"] = new JsonArray([.. t.Replicas.Select(r => new JsonObject { ["RegionName"] = r.Region, ["ReplicaStatus"] = r.ReplicaStatus })]);
        }

        if (t.RestoreSummary is { } restore)
        {
            table["RestoreSummary"] = new JsonObject
            {
                ["SourceTableArn"] = TableArn(restore.SourceRegion, restore.SourceTableName),
                ["RestoreDateTime"] = AwsWire.Epoch(restore.RestoreDateTime),
                ["RestoreInProgress"] = restore.RestoreInProgress,
            };
        }

        return table;
    }

    private static string TableArn(string region, string table) => $"arn:aws:dynamodb:{region}:{TwinCredentials.AccountId}:table/{table}";
}
