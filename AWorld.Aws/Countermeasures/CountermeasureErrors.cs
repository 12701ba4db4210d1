namespace AWorld.Aws.Countermeasures;

/// <summary>
/// The error codes of <see cref="AWorld.Core.Estate.EstateServiceException"/>s the countermeasure and fault adapters
/// raise themselves, before or instead of calling AWS (AWS's own codes pass through unchanged).
/// </summary>
public static class CountermeasureErrors
{
    /// <summary>The region has no options for this countermeasure.</summary>
    public const string NotConfigured = "NotConfigured";

    /// <summary>The change would do harm or cannot be done safely as configured; the message says why and what to fix.</summary>
    public const string Refused = "Refused";

    /// <summary>No API key has the client's name.</summary>
    public const string ClientNotFound = "ClientNotFound";

    /// <summary><c>Estate:Aws:Fis:Enabled</c> is false.</summary>
    public const string FisDisabled = "FisDisabled";

    /// <summary>No FIS experiment template is configured for the fault's kind and region.</summary>
    public const string NoTemplate = "NoTemplate";
}
