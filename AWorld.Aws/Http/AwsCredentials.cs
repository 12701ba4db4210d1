using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Http;

/// <summary>
/// The identities the adapters call AWS with: the static keys of <see cref="AwsOptions.AccessKeyId"/> when set (a twin
/// served over AWS protocols, a test endpoint), otherwise the SDK's default chain (environment, profile with its own
/// role, SSO, container, instance); then, per purpose, the role of <see cref="AwsOptions.ReadRoleArn"/> or
/// <see cref="AwsOptions.WriteRoleArn"/> assumed through STS when configured (refreshed by the SDK before it expires).
/// </summary>
/// <remarks>Thread-safe; resolved lazily, so a console without credentials starts and says so on its first call.</remarks>
public sealed class AwsCredentials
{
    private readonly Lazy<AWSCredentials> _base;
    private readonly Lazy<AWSCredentials> _read;
    private readonly Lazy<AWSCredentials> _write;

    public AwsCredentials(IOptions<AwsOptions> options)
    {
        var o = options.Value;
        _base = new(() => Base(o));
        _read = new(() => Assume(_base.Value, o.ReadRoleArn, "aworld-console-read"));
        _write = new(() => Assume(_base.Value, o.WriteRoleArn, "aworld-console-write"));
    }

    public AWSCredentials For(AwsPurpose purpose) => purpose == AwsPurpose.Write ? _write.Value : _read.Value;

    private static AWSCredentials Assume(AWSCredentials source, string? roleArn, string session) =>
        string.IsNullOrWhiteSpace(roleArn) ? source : new AssumeRoleAWSCredentials(source, roleArn, session);

    private static AWSCredentials Base(AwsOptions options) =>
        !string.IsNullOrWhiteSpace(options.AccessKeyId)
            ? string.IsNullOrWhiteSpace(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey ?? "")
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey ?? "", options.SessionToken)
            : new LazyChainCredentials();

    /// <summary>The default chain, resolved on first use (not at start) so that a missing identity is a call's error, not a crash.</summary>
    private sealed class LazyChainCredentials : AWSCredentials
    {
        private readonly Lazy<AWSCredentials> _resolved = new(() => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null));

        public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

        public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();
    }
}
