using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AWorld.Core.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Twin.Serve;

/// <summary>
/// KMS over JSON 1.1 (<c>TrentService.Sign</c>, <c>GetPublicKey</c>, <c>DescribeKey</c>) with one asymmetric key in
/// <see cref="TwinIdentifiers.KmsRegion"/>: ECC_NIST_P256, SIGN_VERIFY, ECDSA_SHA_256 over a RAW message (hashed here)
/// or a DIGEST (its SHA-256), DER signatures, the public key as SubjectPublicKeyInfo DER. The key pair is made when the
/// server starts and lives as long as it does. The key answers to its id, its ARN, its alias and the alias's ARN.
/// </summary>
internal sealed class KmsService : IServedService, IDisposable
{
    private const string Algorithm = "ECDSA_SHA_256";
    private const string Spec = "ECC_NIST_P256";
    private const int MaxRawMessage = 4096;
    private static readonly WireDialect Dialect = new(WireProtocol.AwsJson11, "com.amazonaws.kms#");

    private readonly TwinIdentifiers _ids;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Lock _signing = new();
    private readonly DateTimeOffset _created;
    private readonly string _publicKey;

    public KmsService(TwinIdentifiers ids, [FromKeyedServices(EstateClock.Key)] TimeProvider clock)
    {
        _ids = ids;
        _created = clock.GetUtcNow();
        _publicKey = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());
    }

    public string SigningName => "kms";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var body = AwsWire.ParseJson(call.Body);
        var keyId = body.Required("KeyId");
        Resolve(keyId, call.Region);
        JsonObject answer = call.TargetOperation switch
        {
            "Sign" => Sign(body),
            "GetPublicKey" => new JsonObject
            {
                ["KeyId"] = _ids.KmsKeyArn,
                ["PublicKey"] = _publicKey,
                ["CustomerMasterKeySpec"] = Spec,
                ["KeySpec"] = Spec,
                ["KeyUsage"] = "SIGN_VERIFY",
                ["SigningAlgorithms"] = new JsonArray(Algorithm),
            },
            "DescribeKey" => new JsonObject
            {
                ["KeyMetadata"] = new JsonObject
                {
                    ["AWSAccountId"] = TwinCredentials.AccountId,
                    ["KeyId"] = _ids.KmsKeyId,
                    ["Arn"] = _ids.KmsKeyArn,
                    ["CreationDate"] = AwsWire.Epoch(_created),
                    ["Enabled"] = true,
                    ["Description"] = "AWorld evidence signing (aworld twin serve)",
                    ["KeyUsage"] = "SIGN_VERIFY",
                    ["KeyState"] = "Enabled",
                    ["Origin"] = "AWS_KMS",
                    ["KeyManager"] = "CUSTOMER",
                    ["CustomerMasterKeySpec"] = Spec,
                    ["KeySpec"] = Spec,
                    ["SigningAlgorithms"] = new JsonArray(Algorithm),
                    ["MultiRegion"] = false,
                },
            },
            _ => throw AwsErrorException.BadRequest("UnknownOperationException", $"The served twin's KMS has no operation {call.TargetOperation}."),
        };
        await call.JsonAsync(answer);
    }

    public void Dispose() => _key.Dispose();

    private JsonObject Sign(JsonObject body)
    {
        var algorithm = body.Required("SigningAlgorithm");
        if (algorithm != Algorithm)
        {
            throw AwsErrorException.BadRequest("InvalidKeyUsageException", $"The key {_ids.KmsKeyArn} signs with {Algorithm} only, not {algorithm}.");
        }

        byte[] message;
        try
        {
            message = Convert.FromBase64String(body.Required("Message"));
        }
        catch (FormatException)
        {
            throw AwsErrorException.BadRequest("SerializationException", "Message must be base64-encoded bytes.");
        }

        var digest = (body.String("MessageType") ?? "RAW") switch
        {
            "RAW" when message.Length is > 0 and <= MaxRawMessage => SHA256.HashData(message),
            "RAW" => throw AwsErrorException.BadRequest("ValidationException", $"A RAW message must be 1 to {MaxRawMessage} bytes; sign a longer one as its SHA-256 DIGEST."),
            "DIGEST" when message.Length == 32 => message,
            "DIGEST" => throw AwsErrorException.BadRequest("ValidationException", $"Digest is invalid length for algorithm {Algorithm}: it must be 32 bytes (SHA-256), not {message.Length}."),
            var other => throw AwsErrorException.BadRequest("ValidationException", $"MessageType must be RAW or DIGEST, not {other}."),
        };
        byte[] signature;
        lock (_signing)
        {
            // One key object serves every request; ECDsa promises no thread safety.
            signature = _key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }

        return new JsonObject
        {
            ["KeyId"] = _ids.KmsKeyArn,
            ["Signature"] = Convert.ToBase64String(signature),
            ["SigningAlgorithm"] = Algorithm,
        };
    }

    private void Resolve(string keyId, string region)
    {
        var aliasArn = $"arn:aws:kms:{_ids.KmsRegion}:{TwinCredentials.AccountId}:{TwinIdentifiers.KmsAlias}";
        var known = keyId == _ids.KmsKeyId || keyId == _ids.KmsKeyArn || keyId == TwinIdentifiers.KmsAlias || keyId == aliasArn;
        if (!known || region != _ids.KmsRegion)
        {
            throw AwsErrorException.BadRequest("NotFoundException",
                $"Key '{keyId}' does not exist in {region}: the served twin's key is {_ids.KmsKeyArn} ({TwinIdentifiers.KmsAlias}) in {_ids.KmsRegion}.");
        }
    }
}
