using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace AWorld.Core.Estate;

/// <summary>A region of the estate. <see cref="Index"/> is its position in <see cref="EstateTopology.Regions"/>.</summary>
public sealed record Region(int Index, string Code, string DisplayName, RegionRole Role, string Endpoint);

/// <summary>A DynamoDB global table and the regions that hold its replicas.</summary>
public sealed record GlobalTable(string Name, ImmutableArray<string> Replicas, int PitrRecoveryPeriodDays, double SizeGb, double WriteShare);

/// <summary>The Route 53 health check of one regional endpoint.</summary>
public sealed record HealthCheckDefinition(
    string Id,
    string Region,
    string Endpoint,
    string ResourcePath,
    int RequestIntervalSeconds,
    int FailureThreshold,
    ImmutableArray<string> CheckerLocations);

public sealed record DnsRecord(string Region, int Weight, FailoverRole? FailoverRole, string HealthCheckId);

public sealed record DnsRecordSet(string Name, int TtlSeconds, DnsRoutingPolicy RoutingPolicy, ImmutableArray<DnsRecord> Records);

public sealed record RecoveryObjectives(TimeSpan Rto, TimeSpan Rpo);

/// <summary>
/// The validated, immutable shape of the estate, built once from <see cref="EstateOptions"/>. Every engine reads
/// the estate through this type, never through the raw options.
/// </summary>
public sealed class EstateTopology
{
    /// <summary>Route 53 considers an endpoint healthy while more than this share of its checkers report it healthy.</summary>
    public const double Route53HealthyCheckerShare = 0.18;

    private readonly Dictionary<string, Region> _byCode;

    private EstateTopology(
        EstateProvider provider,
        ImmutableArray<Region> regions,
        ImmutableArray<GlobalTable> tables,
        ImmutableArray<HealthCheckDefinition> healthChecks,
        DnsRecordSet dns,
        RecoveryObjectives objectives)
    {
        Provider = provider;
        Regions = regions;
        Tables = tables;
        HealthChecks = healthChecks;
        Dns = dns;
        Objectives = objectives;
        _byCode = regions.ToDictionary(r => r.Code, StringComparer.Ordinal);
    }

    /// <summary>The topology the engine registers, from the validated <c>Estate</c> section.</summary>
    public EstateTopology(IOptions<EstateOptions> options)
        : this(From(options.Value))
    {
    }

    private EstateTopology(EstateTopology built)
        : this(built.Provider, built.Regions, built.Tables, built.HealthChecks, built.Dns, built.Objectives)
    {
    }

    public EstateProvider Provider { get; }

    public ImmutableArray<Region> Regions { get; }

    public ImmutableArray<GlobalTable> Tables { get; }

    public ImmutableArray<HealthCheckDefinition> HealthChecks { get; }

    public DnsRecordSet Dns { get; }

    public RecoveryObjectives Objectives { get; }

    /// <summary>The estate with every default applied: eu-west-1 and eu-central-1 active, eu-north-1 backup.</summary>
    public static EstateTopology Default { get; } = From(new EstateOptions());

    public Region Region(string code) =>
        _byCode.TryGetValue(code, out var region)
            ? region
            : throw new ArgumentException($"'{code}' is not a region of this estate. Regions: {string.Join(", ", Regions.Select(r => r.Code))}.", nameof(code));

    public bool TryGetRegion(string code, out Region region) => _byCode.TryGetValue(code, out region!);

    public HealthCheckDefinition HealthCheckFor(string regionCode) => HealthChecks.First(h => h.Region == regionCode);

    public static string HealthCheckId(string regionCode) => $"hc-{regionCode}";

    /// <summary>Applies defaults, validates, and builds the topology; throws with every problem listed when invalid.</summary>
    public static EstateTopology From(EstateOptions options)
    {
        EstateDefaults.Apply(options);
        var errors = EstateOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The estate configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        var regions = options.Regions
            .Select((r, i) => new Region(i, r.Code, string.IsNullOrWhiteSpace(r.DisplayName) ? r.Code : r.DisplayName, r.Role, r.Endpoint ?? $"api.{r.Code}.aworld.example"))
            .ToImmutableArray();
        var tables = options.Tables
            .Select(t => new GlobalTable(t.Name, [.. t.Replicas], t.PitrRecoveryPeriodDays, t.SizeGb, t.WriteShare))
            .ToImmutableArray();
        var hc = options.HealthChecks;
        var checks = regions
            .Select(r => new HealthCheckDefinition(HealthCheckId(r.Code), r.Code, r.Endpoint, hc.ResourcePath, hc.RequestIntervalSeconds, hc.FailureThreshold, [.. hc.CheckerLocations]))
            .ToImmutableArray();
        var records = options.Dns.Records
            .Select(r => new DnsRecord(r.Region, r.Weight, r.FailoverRole, HealthCheckId(r.Region)))
            .ToImmutableArray();
        var dns = new DnsRecordSet(options.Dns.RecordName, options.Dns.TtlSeconds, options.Dns.RoutingPolicy, records);
        return new EstateTopology(options.Provider, regions, tables, checks, dns, new RecoveryObjectives(options.RecoveryObjectives.Rto, options.RecoveryObjectives.Rpo));
    }
}
