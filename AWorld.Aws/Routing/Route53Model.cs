using System.Collections.Immutable;

namespace AWorld.Aws.Routing;

/// <summary>An alias record's target (<c>AliasTarget</c>).</summary>
public sealed record Route53AliasTarget(string HostedZoneId, string DnsName, bool EvaluateTargetHealth);

public sealed record Route53GeoLocation(string? ContinentCode, string? CountryCode, string? SubdivisionCode);

public sealed record Route53CidrRoutingConfig(string CollectionId, string LocationName);

public sealed record Route53GeoProximityLocation(string? AwsRegion, string? LocalZoneGroup, string? Latitude, string? Longitude, int? Bias);

/// <summary>
/// A <c>ResourceRecordSet</c> with every member of Route 53's shape, so that a record read can be written back whole
/// (an UPSERT replaces the record: a member left out is a member deleted). Equality compares values, the resource
/// records included.
/// </summary>
public sealed record Route53RecordSet(string Name, string Type)
{
    public string? SetIdentifier { get; init; }

    /// <summary>Weighted routing: 0 to 255.</summary>
    public long? Weight { get; init; }

    /// <summary>Latency routing: the AWS region of the resource.</summary>
    public string? Region { get; init; }

    public Route53GeoLocation? GeoLocation { get; init; }

    /// <summary>Failover routing: <c>PRIMARY</c> or <c>SECONDARY</c>.</summary>
    public string? Failover { get; init; }

    public bool? MultiValueAnswer { get; init; }

    /// <summary>Seconds; absent on an alias record.</summary>
    public long? Ttl { get; init; }

    /// <summary>The values of a non-alias record (<c>ResourceRecords/ResourceRecord/Value</c>).</summary>
    public ImmutableArray<string> ResourceRecords { get; init; } = [];

    public Route53AliasTarget? AliasTarget { get; init; }

    public string? HealthCheckId { get; init; }

    public string? TrafficPolicyInstanceId { get; init; }

    public Route53CidrRoutingConfig? CidrRoutingConfig { get; init; }

    public Route53GeoProximityLocation? GeoProximityLocation { get; init; }

    public bool Equals(Route53RecordSet? other) =>
        other is not null
        && Name == other.Name && Type == other.Type && SetIdentifier == other.SetIdentifier && Weight == other.Weight
        && Region == other.Region && GeoLocation == other.GeoLocation && Failover == other.Failover
        && MultiValueAnswer == other.MultiValueAnswer && Ttl == other.Ttl
        && ResourceRecords.AsSpan().SequenceEqual(other.ResourceRecords.AsSpan())
        && AliasTarget == other.AliasTarget && HealthCheckId == other.HealthCheckId
        && TrafficPolicyInstanceId == other.TrafficPolicyInstanceId && CidrRoutingConfig == other.CidrRoutingConfig
        && GeoProximityLocation == other.GeoProximityLocation;

    public override int GetHashCode() => HashCode.Combine(Name, Type, SetIdentifier, Weight, Ttl, HealthCheckId, ResourceRecords.Length);
}

public enum Route53ChangeAction
{
    Create,
    Delete,
    Upsert,
}

/// <summary>One <c>Change</c> of a change batch.</summary>
public sealed record Route53Change(Route53ChangeAction Action, Route53RecordSet RecordSet);

/// <summary>Route 53's <c>ChangeInfo</c>, its id without the <c>/change/</c> prefix; <see cref="Status"/> is <c>PENDING</c> or <c>INSYNC</c>.</summary>
public sealed record Route53ChangeInfo(string Id, string Status, DateTimeOffset SubmittedAt, string? Comment);

/// <summary>One page of <c>ListResourceRecordSets</c>; when truncated, the next page starts at the <c>Next*</c> members.</summary>
public sealed record Route53RecordSetPage(
    ImmutableArray<Route53RecordSet> RecordSets, bool IsTruncated, string? NextRecordName, string? NextRecordType, string? NextRecordIdentifier);

/// <summary>One checker's last probe (<c>HealthCheckObservation</c>); success is only in the text of <see cref="Status"/>.</summary>
public sealed record Route53HealthCheckObservation(string Region, string IpAddress, string Status, DateTimeOffset? CheckedTime);

/// <summary>The members of <c>HealthCheckConfig</c> the console reads.</summary>
public sealed record Route53HealthCheckConfig(string Type)
{
    public string? IpAddress { get; init; }

    public int? Port { get; init; }

    public string? ResourcePath { get; init; }

    public string? FullyQualifiedDomainName { get; init; }

    public string? SearchString { get; init; }

    public int? RequestInterval { get; init; }

    public int? FailureThreshold { get; init; }

    public bool Inverted { get; init; }

    public bool Disabled { get; init; }

    /// <summary>The checker regions; Route 53's default set when empty.</summary>
    public ImmutableArray<string> Regions { get; init; } = [];
}

/// <summary>A health check (<c>GetHealthCheck</c>).</summary>
public sealed record Route53HealthCheck(string Id, string CallerReference, long Version, Route53HealthCheckConfig Config);
