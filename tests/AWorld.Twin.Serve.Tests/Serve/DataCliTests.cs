using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.Serve;

/// <summary>DynamoDB (JSON 1.0), SSM and KMS (JSON 1.1) through the AWS CLI: tables, PITR, restores, canary items, table routing, signing.</summary>
public sealed class DataCliTests(FastTwin twin) : IClassFixture<FastTwin>
{
    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task DescribeTable_AndContinuousBackups_ShowTheReplicasAndThePitrWindow(string cli)
    {
        var table = (await AwsCli.JsonAsync(cli, twin, "eu-central-1", "dynamodb", "describe-table", "--table-name", "aworld-players")).GetProperty("Table");
        var pitr = (await AwsCli.JsonAsync(cli, twin, "eu-central-1", "dynamodb", "describe-continuous-backups", "--table-name", "aworld-players"))
            .GetProperty("ContinuousBackupsDescription");
        var now = (await twin.ClockAsync()).Now;

        Assert.Equal("ACTIVE", table.GetProperty("TableStatus").GetString());
        Assert.Equal("arn:aws:dynamodb:eu-central-1:123456789012:table/aworld-players", table.GetProperty("TableArn").GetString());
        Assert.Equal(["eu-central-1", "eu-north-1", "eu-west-1"], table.GetProperty("Replicas").EnumerateArray().Select(r => r.GetProperty("RegionName").GetString()).Order());
        Assert.False(table.TryGetProperty("RestoreSummary", out _));
        Assert.Equal("ENABLED", pitr.GetProperty("ContinuousBackupsStatus").GetString());
        var window = pitr.GetProperty("PointInTimeRecoveryDescription");
        Assert.Equal("ENABLED", window.GetProperty("PointInTimeRecoveryStatus").GetString());
        Assert.InRange(now - AwsCli.Time(window.GetProperty("LatestRestorableDateTime")), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(7));
        Assert.InRange(now - AwsCli.Time(window.GetProperty("EarliestRestorableDateTime")), TimeSpan.FromDays(35) - TimeSpan.FromMinutes(2), TimeSpan.FromDays(35) + TimeSpan.FromMinutes(2));
        await AwsCli.FailsAsync("ResourceNotFoundException", cli, twin, "eu-central-1", "dynamodb", "describe-table", "--table-name", "no-such-table");
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task Restore_IsDescribedWithItsSource_AndTheRoutingParameterRoundTrips(string cli)
    {
        var region = cli == AwsCli.V1 ? "eu-west-1" : "eu-central-1";
        var target = $"aworld-players-restored-{cli}";
        var parameter = $"/aworld/aworld-players/{region}/active-table";
        var latest = AwsCli.Time((await AwsCli.JsonAsync(cli, twin, region, "dynamodb", "describe-continuous-backups", "--table-name", "aworld-players"))
            .GetProperty("ContinuousBackupsDescription").GetProperty("PointInTimeRecoveryDescription").GetProperty("LatestRestorableDateTime"));
        var pointInTime = latest.AddMinutes(-10);

        var restored = (await AwsCli.JsonAsync(cli, twin, region, "dynamodb", "restore-table-to-point-in-time", "--source-table-name", "aworld-players",
            "--target-table-name", target, "--restore-date-time", pointInTime.ToString("O", CultureInfo.InvariantCulture))).GetProperty("TableDescription");
        var described = (await AwsCli.JsonAsync(cli, twin, region, "dynamodb", "describe-table", "--table-name", target)).GetProperty("Table");
        var backups = (await AwsCli.JsonAsync(cli, twin, region, "dynamodb", "describe-continuous-backups", "--table-name", target)).GetProperty("ContinuousBackupsDescription");
        await AwsCli.FailsAsync("TableAlreadyExistsException", cli, twin, region, "dynamodb", "restore-table-to-point-in-time", "--source-table-name", "aworld-players",
            "--target-table-name", target, "--use-latest-restorable-time");
        await AwsCli.FailsAsync("InvalidRestoreTimeException", cli, twin, region, "dynamodb", "restore-table-to-point-in-time", "--source-table-name", "aworld-players",
            "--target-table-name", target + "-late", "--restore-date-time", latest.AddHours(1).ToString("O", CultureInfo.InvariantCulture));

        var first = (await AwsCli.JsonAsync(cli, twin, region, "ssm", "get-parameter", "--name", parameter)).GetProperty("Parameter");
        await AwsCli.FailsAsync("ParameterAlreadyExists", cli, twin, region, "ssm", "put-parameter", "--name", parameter, "--value", target, "--type", "String");
        var put = await AwsCli.JsonAsync(cli, twin, region, "ssm", "put-parameter", "--name", parameter, "--value", target, "--type", "String", "--overwrite");
        var second = (await AwsCli.JsonAsync(cli, twin, region, "ssm", "get-parameter", "--name", parameter)).GetProperty("Parameter");
        var truth = await twin.Http.GetFromJsonAsync<JsonElement>(new Uri(twin.Endpoint, "/_twin/truth"));
        await AwsCli.FailsAsync("ValidationException", cli, twin, region, "ssm", "put-parameter", "--name", parameter, "--value", "no-such-table", "--type", "String", "--overwrite");
        await AwsCli.FailsAsync("ParameterNotFound", cli, twin, region, "ssm", "get-parameter", "--name", "/aworld/no-such-table/eu-west-1/active-table");

        foreach (var table in new[] { restored, described })
        {
            Assert.Equal(target, table.GetProperty("TableName").GetString());
            Assert.Equal("CREATING", table.GetProperty("TableStatus").GetString());
            var summary = table.GetProperty("RestoreSummary");
            Assert.Equal($"arn:aws:dynamodb:{region}:123456789012:table/aworld-players", summary.GetProperty("SourceTableArn").GetString());
            Assert.Equal(pointInTime, AwsCli.Time(summary.GetProperty("RestoreDateTime")));
            Assert.True(summary.GetProperty("RestoreInProgress").GetBoolean());
        }

        Assert.Equal("DISABLED", backups.GetProperty("PointInTimeRecoveryDescription").GetProperty("PointInTimeRecoveryStatus").GetString());
        Assert.Equal(("aworld-players", 1), (first.GetProperty("Value").GetString(), first.GetProperty("Version").GetInt32()));
        Assert.Equal(2, put.GetProperty("Version").GetInt32());
        Assert.Equal((target, 2), (second.GetProperty("Value").GetString(), second.GetProperty("Version").GetInt32()));
        var active = truth.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "aworld-players")
            .GetProperty("activeTables").EnumerateArray().Single(a => a.GetProperty("region").GetString() == region);
        Assert.Equal(target, active.GetProperty("physicalTable").GetString());
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task CanaryItem_WrittenInOneRegion_IsThereAtOnce_AndReachesTheOthersByReplication(string cli)
    {
        var key = JsonSerializer.Serialize(new { pk = new { S = $"canary#{cli}" } });
        var item = JsonSerializer.Serialize(new { pk = new { S = $"canary#{cli}" }, sequence = new { N = "42" }, writtenBy = new { S = "eu-west-1" } });

        await AwsCli.JsonAsync(cli, twin, "eu-west-1", "dynamodb", "put-item", "--table-name", "aworld-players", "--item", item);
        var local = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "dynamodb", "get-item", "--table-name", "aworld-players", "--key", key);
        var far = await ServedTwin.EventuallyAsync(
            () => AwsCli.JsonAsync(cli, twin, "eu-north-1", "dynamodb", "get-item", "--table-name", "aworld-players", "--key", key),
            r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("Item", out _),
            "the canary replicated to eu-north-1");
        var missing = await AwsCli.JsonAsync(cli, twin, "eu-west-1", "dynamodb", "get-item", "--table-name", "aworld-players", "--key", """{"pk":{"S":"never-written"}}""");

        Assert.Equal("42", local.GetProperty("Item").GetProperty("sequence").GetProperty("N").GetString());
        Assert.Equal("42", far.GetProperty("Item").GetProperty("sequence").GetProperty("N").GetString());
        Assert.True(missing.ValueKind != JsonValueKind.Object || !missing.TryGetProperty("Item", out _));
    }

    [Theory]
    [MemberData(nameof(AwsCli.Both), MemberType = typeof(AwsCli))]
    public async Task KmsSignature_OfARawMessageAndOfADigest_VerifiesWithThePublicKey(string cli)
    {
        var keyId = twin.AwsSettings.GetProperty("KmsKeyId").GetString()!;
        var region = twin.AwsSettings.GetProperty("KmsRegion").GetString()!;
        var message = Encoding.UTF8.GetBytes($"manifest.json of a drill's evidence pack, signed through {cli}");
        var messageFile = Path.GetTempFileName();
        var digestFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(messageFile, message);
        await File.WriteAllBytesAsync(digestFile, SHA256.HashData(message));

        var raw = await AwsCli.JsonAsync(cli, twin, region, "kms", "sign", "--key-id", keyId, "--message", "fileb://" + messageFile, "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256");
        var digest = await AwsCli.JsonAsync(cli, twin, region, "kms", "sign", "--key-id", "alias/aworld-evidence-signing", "--message", "fileb://" + digestFile, "--message-type", "DIGEST", "--signing-algorithm", "ECDSA_SHA_256");
        var publicKey = await AwsCli.JsonAsync(cli, twin, region, "kms", "get-public-key", "--key-id", keyId);
        var described = (await AwsCli.JsonAsync(cli, twin, region, "kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata");
        await AwsCli.FailsAsync("NotFoundException", cli, twin, "eu-north-1", "kms", "describe-key", "--key-id", keyId);
        File.Delete(messageFile);
        File.Delete(digestFile);

        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.GetProperty("PublicKey").GetString()!), out _);
        Assert.True(key.VerifyData(message, Convert.FromBase64String(raw.GetProperty("Signature").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.True(key.VerifyHash(SHA256.HashData(message), Convert.FromBase64String(digest.GetProperty("Signature").GetString()!), DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(key.VerifyData(Encoding.UTF8.GetBytes("another manifest"), Convert.FromBase64String(raw.GetProperty("Signature").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(256, key.KeySize);
        Assert.Equal("ECC_NIST_P256", publicKey.GetProperty("KeySpec").GetString());
        Assert.Equal(["ECDSA_SHA_256"], publicKey.GetProperty("SigningAlgorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(("SIGN_VERIFY", "Enabled", keyId), (described.GetProperty("KeyUsage").GetString(), described.GetProperty("KeyState").GetString(), described.GetProperty("KeyId").GetString()));
        Assert.Equal($"arn:aws:kms:{region}:123456789012:key/{keyId}", raw.GetProperty("KeyId").GetString());
    }
}
