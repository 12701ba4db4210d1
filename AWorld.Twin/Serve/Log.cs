using Microsoft.Extensions.Logging;

namespace AWorld.Twin.Serve;

/// <summary>The served twin's log events (to stderr; requests at Debug, refusals at Information, failures at Error).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "{Service} {Region}: {Method} {Path} -> {Status}")]
    public static partial void Served(ILogger logger, string service, string region, string method, string path, int status);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "{Service} {Region}: {Method} {Path} -> {Status} {Code}: {Message}")]
    public static partial void Refused(ILogger logger, string service, string region, string method, string path, int status, string code, string message);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "{Method} {Path}: signature refused ({Problem}): {Message}")]
    public static partial void SignatureRefused(ILogger logger, string method, string path, SignatureProblem problem, string message);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "{Service}: {Method} {Path} failed")]
    public static partial void Failed(ILogger logger, string service, string method, string path, Exception exception);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Error, Message = "Advancing the twin failed")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
