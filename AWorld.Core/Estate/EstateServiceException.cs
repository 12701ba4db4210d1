namespace AWorld.Core.Estate;

/// <summary>
/// A call to an estate service failed. Adapters translate their SDK's errors into this one type so that engines
/// handle failure one way; <see cref="ErrorCode"/> carries the AWS error code (e.g. <c>ServiceUnavailable</c>,
/// <c>ResourceNotFoundException</c>, <c>InvalidRestoreTimeException</c>).
/// </summary>
public sealed class EstateServiceException : Exception
{
    /// <summary>
    /// The error code of a change an adapter did not send because changes are switched off (a dry run): its message
    /// holds the exact request that would have been sent.
    /// </summary>
    public const string DryRunCode = "DryRun";

    public EstateServiceException(string service, string region, string errorCode, string message)
        : base($"{service} in {region}: {errorCode}: {message}")
    {
        Service = service;
        Region = region;
        ErrorCode = errorCode;
    }

    public EstateServiceException()
    {
        Service = Region = ErrorCode = "";
    }

    public EstateServiceException(string message)
        : base(message)
    {
        Service = Region = ErrorCode = "";
    }

    public EstateServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Service = Region = ErrorCode = "";
    }

    public string Service { get; }

    public string Region { get; }

    public string ErrorCode { get; }

    /// <summary>True when the change was not sent because changes are switched off (see <see cref="DryRunCode"/>).</summary>
    public bool IsDryRun => ErrorCode == DryRunCode;
}
