using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Routing;

/// <summary>
/// The checkers' observations of a region's Route 53 health check (<c>GetHealthCheckStatus</c>). The engine names a
/// health check by the topology's id, <c>hc-{region}</c>; the account's id is that region's
/// <see cref="AwsRegionOptions.HealthCheckId"/>; a region without one is asked by the topology's id (as a twin served
/// over AWS protocols names its checks, and as the CloudWatch adapter asks for its metrics), which Route 53 answers
/// with <c>NoSuchHealthCheck</c>. Route 53 says success only in the status text
/// (<c>Success: HTTP Status Code 200, OK</c>); anything else (<c>Failure: …</c>) is a failed probe.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Route53HealthSource : IHealthSource
{
    private readonly Route53Client _route53;
    private readonly Dictionary<string, string> _ids;

    public Route53HealthSource(Route53Client route53, IOptions<AwsEstateOptions> estate)
    {
        _route53 = route53;
        _ids = estate.Value.Regions
            .Where(r => !string.IsNullOrWhiteSpace(r.Code) && !string.IsNullOrWhiteSpace(r.HealthCheckId))
            .ToDictionary(r => EstateTopology.HealthCheckId(r.Code), r => r.HealthCheckId, StringComparer.Ordinal);
    }

    /// <summary>Observations of the topology's <c>hc-{region}</c> (or of an id of the account, passed as it is).</summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call (<c>NoSuchHealthCheck</c> for a region whose id is not configured).</exception>
    public async Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var observations = await _route53.GetHealthCheckStatusAsync(_ids.GetValueOrDefault(healthCheckId, healthCheckId), cancellationToken);
        return [.. observations.Select(o => new HealthCheckObservation(
            o.Region, o.IpAddress, o.CheckedTime ?? DateTimeOffset.MinValue, o.Status.StartsWith("Success", StringComparison.Ordinal), o.Status))];
    }
}
