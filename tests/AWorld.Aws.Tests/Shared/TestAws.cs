using AWorld.Aws.Http;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Shared;

public static class TestAws
{
    /// <summary>Options that point every service at <paramref name="endpoint"/> with the fixed test keys, one attempt a call.</summary>
    public static AwsOptions OptionsFor(Uri endpoint, bool allowWrites = true) => new()
    {
        AllowWrites = allowWrites,
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        Endpoints = Enum.GetValues<AwsService>().ToDictionary(s => s, _ => endpoint.ToString()),
        MaxRetries = 0,
    };

    /// <summary>The signed HTTP client over <paramref name="options"/>, on the real clock (its timeouts).</summary>
    public static AwsHttp Http(AwsOptions options) => new(Options.Create(options), new AwsCredentials(Options.Create(options)), TimeProvider.System);
}
