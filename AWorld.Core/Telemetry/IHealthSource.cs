namespace AWorld.Core.Telemetry;

/// <summary>
/// The last probe of one Route 53 health checker (<c>HealthCheckObservation</c>): where it probed from, when,
/// and the status report Route 53 gives, e.g. "Success: HTTP Status Code 200, OK".
/// </summary>
public sealed record HealthCheckObservation(string CheckerRegion, string IpAddress, DateTimeOffset CheckedTime, bool Success, string StatusReport);

/// <summary>
/// Per-checker observations of a health check, shaped after Route 53 <c>GetHealthCheckStatus</c>. The overall
/// status (after the failure threshold and the 18% rule) comes from the CloudWatch metrics
/// <c>AWS/Route53 HealthCheckStatus</c> and <c>HealthCheckPercentageHealthy</c> through <see cref="ITelemetrySource"/>.
/// </summary>
public interface IHealthSource
{
    Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken);
}
