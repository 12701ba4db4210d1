using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Routing;

/// <summary>
/// The checkers' observations of a region's Route 53 health check (<c>GetHealthCheckStatus</c>). The engine names a
/// health check by the topology's id, <c>hc-{region}</c>; the account's id is that region's
/// <see cref="AwsRegionOptions.HealthCheckId"/>. Route 53 says success only in the status text
/// (<c>Success: HTTP Status Code 200, OK</c>); anything else (<c>Failure: …</c>) is a failed probe.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Route53HealthSource : IHealthSource
{
    private readonly Route53Client _route53;
    private readonly Dictionary<string, string> _ids;

    public Route53HealthSource(Route53Client route53, IOptions<AwsEstateOptions> estate, EstateTopology topology)
    {
        _route53 = route53;
        var configured = estate.Value.Regions.Where(r => !string.IsNullOrWhiteSpace(r.HealthCheckId)).ToDictionary(r => r.Code, r => r.HealthCheckId, StringComparer.Ordinal);
        _ids = topology.Regions.ToDictionary(
            r => EstateTopology.HealthCheckId(r.Code), r => configured.GetValueOrDefault(r.Code, ""), StringComparer.Ordinal);
    }

    /// <summary>Observations of the topology's <c>hc-{region}</c> (or of an id of the account, passed as it is).</summary>
    /// <exception cref="EstateServiceException">The region has no configured health check (<c>NotConfigured</c>), or Route 53 refused or failed the call.</exception>
    public async Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var observations = await _route53.GetHealthCheckStatusAsync(AccountId(healthCheckId), cancellationToken);
        return [.. observations.Select(o => new HealthCheckObservation(
            o.Region, o.IpAddress, o.CheckedTime ?? DateTimeOffset.MinValue, o.Status.StartsWith("Success", StringComparison.Ordinal), o.Status))];
    }

    private string AccountId(string healthCheckId)
    {
        if (!_ids.TryGetValue(healthCheckId, out var id))
        {
            return healthCheckId;
        }

        return string.IsNullOrWhiteSpace(id)
            ? throw new EstateServiceException("Route53", Route53Client.Region, "NotConfigured",
                $"No Route 53 health check is configured for {healthCheckId}: set Estate:Regions:N:HealthCheckId for that region.")
            : id;
    }
}
