namespace AWorld.Core.Estate;

/// <summary>
/// A call to an estate service failed. Adapters translate their SDK's errors into this one type so that engines
/// handle failure one way; <see cref="ErrorCode"/> carries the AWS error code (e.g. <c>ServiceUnavailable</c>,
/// <c>ResourceNotFoundException</c>, <c>InvalidRestoreTimeException</c>).
/// </summary>
public sealed class EstateServiceException : Exception
{
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
}
