namespace AWorld.Twin.Serve;

/// <summary>
/// The one key pair the served twin accepts, documented so that any AWS client can sign for it: every request must be
/// signed (SigV4) with this secret, for any region. It guards nothing but a loopback test endpoint; never reuse it.
/// </summary>
public static class TwinCredentials
{
    public const string AccessKeyId = "AKIDAWORLDTWIN00000";

    public const string SecretAccessKey = "aworld/twin/SECRET/access/key/0000000000";

    /// <summary>The account the served twin's resources live in (ARNs, ids): AWS's documentation example.</summary>
    public const string AccountId = "123456789012";
}
