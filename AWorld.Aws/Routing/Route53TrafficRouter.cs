using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Routing;

/// <summary>
/// Moves traffic through the API's Route 53 record set: the records named <c>Estate:Dns:RecordName</c> in the hosted
/// zone <c>Estate:Dns:HostedZoneId</c>, each region's found by its <c>Estate:Dns:Records:N:SetIdentifier</c>. A weight
/// change is one atomic batch of UPSERTs, each the whole record as just read with only its weight changed (an UPSERT
/// replaces the record, so a member left out would be deleted); every record type with the name and set identifier
/// (A and AAAA, say) changes together. Records outside the configured set identifiers are never touched.
/// </summary>
/// <remarks>Thread-safe. A change is a write: with <see cref="AwsOptions.AllowWrites"/> off it is a dry run.</remarks>
public sealed class Route53TrafficRouter : ITrafficRouter
{
    /// <summary>Route 53 takes a change batch comment of at most 256 characters.</summary>
    public const int MaxCommentLength = 256;

    private readonly Route53Client _route53;
    private readonly EstateTopology _topology;
    private readonly string _hostedZoneId;
    private readonly string _recordName;
    private readonly Dictionary<string, string> _setIdentifierByRegion;
    private readonly Dictionary<string, string> _regionBySetIdentifier;
    private readonly Dictionary<string, string> _topologyHealthCheckIds;

    /// <exception cref="InvalidOperationException">Two regions share a set identifier.</exception>
    public Route53TrafficRouter(Route53Client route53, IOptions<AwsEstateOptions> estate, EstateTopology topology)
    {
        _route53 = route53;
        _topology = topology;
        var o = estate.Value;
        _hostedZoneId = Route53Client.StripPrefix(o.Dns.HostedZoneId);
        _recordName = topology.Dns.Name;
        var records = o.Dns.Records.Where(r => !string.IsNullOrWhiteSpace(r.Region) && !string.IsNullOrWhiteSpace(r.SetIdentifier)).ToList();
        if (records.GroupBy(r => r.SetIdentifier, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            // One record for two regions would move both with either's weight.
            throw new InvalidOperationException(
                $"Estate:Dns:Records gives regions {string.Join(" and ", shared.Select(r => r.Region))} the same SetIdentifier '{shared.Key}'. Give each region its own record.");
        }

        _setIdentifierByRegion = records.ToDictionary(r => r.Region, r => r.SetIdentifier, StringComparer.Ordinal);
        _regionBySetIdentifier = records.ToDictionary(r => r.SetIdentifier, r => r.Region, StringComparer.Ordinal);
        _topologyHealthCheckIds = o.Regions
            .Where(r => !string.IsNullOrWhiteSpace(r.HealthCheckId))
            .ToDictionary(r => r.HealthCheckId, r => EstateTopology.HealthCheckId(r.Code), StringComparer.Ordinal);
    }

    /// <summary>Each configured region's record as Route 53 holds it, in the topology's order; a region whose record is missing is left out.</summary>
    /// <exception cref="EstateServiceException">Route 53 refused or failed the call.</exception>
    public async Task<IReadOnlyList<TrafficRecord>> ListRecordsAsync(CancellationToken cancellationToken)
    {
        var byRegion = (await ReadRecordSetAsync(cancellationToken))
            .GroupBy(r => _regionBySetIdentifier[r.SetIdentifier!])
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Type, StringComparer.Ordinal).First(), StringComparer.Ordinal);
        return [.. _topology.Regions
            .Where(r => byRegion.ContainsKey(r.Code))
            .Select(r => ToTrafficRecord(r.Code, byRegion[r.Code]))];
    }

    /// <summary>Submits the new weights in one change batch; returns the change, pending until every name server has it.</summary>
    /// <exception cref="EstateServiceException">
    /// A change names a region without a configured record or a weight outside 0 to 255, the record is not in the zone
    /// (<c>InvalidChangeBatch</c>); Route 53 refused the batch; or writes are off (<see cref="Http.AwsHttp.DryRunCode"/>, the exact request in the message).
    /// </exception>
    public async Task<ChangeInfo> ChangeWeightsAsync(IReadOnlyList<WeightChange> changes, string comment, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            throw Invalid("A change batch needs at least one weight change.");
        }

        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!_setIdentifierByRegion.TryGetValue(change.Region, out var setIdentifier))
            {
                throw Invalid($"There is no record for region '{change.Region}' in {_recordName}: set Estate:Dns:Records:N:SetIdentifier for it.");
            }

            if (change.Weight is < 0 or > 255)
            {
                throw Invalid($"Weight {change.Weight} for '{change.Region}' is outside 0 to 255.");
            }

            if (!weights.TryAdd(setIdentifier, change.Weight))
            {
                throw Invalid($"Region '{change.Region}' appears twice in one change batch.");
            }
        }

        var current = await ReadRecordSetAsync(cancellationToken);
        var upserts = new List<Route53Change>();
        foreach (var (setIdentifier, weight) in weights)
        {
            var records = current.Where(r => r.SetIdentifier == setIdentifier).ToList();
            if (records.Count == 0)
            {
                throw Invalid($"The hosted zone {_hostedZoneId} has no record {_recordName} with set identifier '{setIdentifier}'.");
            }

            upserts.AddRange(records.Select(r => new Route53Change(Route53ChangeAction.Upsert, r with { Weight = weight })));
        }

        var trimmed = comment.Length > MaxCommentLength ? comment[..MaxCommentLength] : comment;
        var info = await _route53.ChangeResourceRecordSetsAsync(_hostedZoneId, upserts, trimmed, cancellationToken);
        return ToChangeInfo(info, trimmed);
    }

    /// <exception cref="EstateServiceException">Route 53 refused or failed the call (<c>NoSuchChange</c>).</exception>
    public async Task<ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken) =>
        ToChangeInfo(await _route53.GetChangeAsync(changeId, cancellationToken), "");

    /// <summary>The records of the configured set identifiers named <c>Estate:Dns:RecordName</c>, every type.</summary>
    private async Task<List<Route53RecordSet>> ReadRecordSetAsync(CancellationToken cancellationToken)
    {
        if (_hostedZoneId.Length == 0)
        {
            throw new EstateServiceException("Route53", Route53Client.Region, "NotConfigured", "No hosted zone is configured for the API's records: set Estate:Dns:HostedZoneId.");
        }

        var records = new List<Route53RecordSet>();
        await foreach (var record in _route53.ListResourceRecordSetsAsync(_hostedZoneId, _recordName, cancellationToken: cancellationToken))
        {
            // Route 53 lists in name order from the start name: the first other name ends the set.
            if (!SameName(record.Name, _recordName))
            {
                break;
            }

            if (record.SetIdentifier is { } id && _regionBySetIdentifier.ContainsKey(id))
            {
                records.Add(record);
            }
        }

        return records;
    }

    private TrafficRecord ToTrafficRecord(string region, Route53RecordSet record) => new(
        region,
        (int)(record.Weight ?? 0),
        record.Failover switch
        {
            "PRIMARY" => FailoverRole.Primary,
            "SECONDARY" => FailoverRole.Secondary,
            _ => null,
        },
        record.HealthCheckId is null ? "" : _topologyHealthCheckIds.GetValueOrDefault(record.HealthCheckId, record.HealthCheckId),
        (int)(record.Ttl ?? 0));

    private static ChangeInfo ToChangeInfo(Route53ChangeInfo info, string comment) =>
        new(info.Id, info.Status == "INSYNC" ? ChangeStatus.InSync : ChangeStatus.Pending, info.SubmittedAt, info.Comment ?? comment);

    // Route 53 answers names fully qualified (a trailing dot) and in lower case.
    private static bool SameName(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static EstateServiceException Invalid(string message) => new("Route53", Route53Client.Region, "InvalidChangeBatch", message);
}
