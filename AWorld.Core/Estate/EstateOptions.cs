namespace AWorld.Core.Estate;

/// <summary>Where the console reads the estate from.</summary>
public enum EstateProvider
{
    /// <summary>The embedded twin (<c>AWorld.Twin</c>); the default.</summary>
    Simulation,

    /// <summary>The real AWS estate.</summary>
    Aws,
}

/// <summary>An active region serves traffic; a backup region holds replicas and takes traffic only in a failover.</summary>
public enum RegionRole
{
    Active,
    Backup,
}

/// <summary>How the Route 53 record set that fronts the API chooses a region.</summary>
public enum DnsRoutingPolicy
{
    Weighted,
    Failover,
}

public enum FailoverRole
{
    Primary,
    Secondary,
}

/// <summary>
/// The topology of the estate, bound from the <c>Estate</c> configuration section. Lists left empty are filled
/// with the default estate (eu-west-1 and eu-central-1 active, eu-north-1 backup) by <see cref="EstateDefaults"/>
/// before validation, so configuration replaces a list rather than merging into it.
/// </summary>
public sealed class EstateOptions
{
    public const string SectionName = "Estate";

    public EstateProvider Provider { get; set; } = EstateProvider.Simulation;

    public List<RegionOptions> Regions { get; set; } = [];

    public List<GlobalTableOptions> Tables { get; set; } = [];

    public HealthCheckOptions HealthChecks { get; set; } = new();

    public DnsOptions Dns { get; set; } = new();

    public RecoveryObjectivesOptions RecoveryObjectives { get; set; } = new();
}

public sealed class RegionOptions
{
    /// <summary>AWS region code, e.g. <c>eu-west-1</c>.</summary>
    public string Code { get; set; } = "";

    /// <summary>Name shown to people; defaults to the code.</summary>
    public string? DisplayName { get; set; }

    public RegionRole Role { get; set; } = RegionRole.Active;

    /// <summary>The regional API endpoint the health checks probe; defaults to <c>api.{code}.aworld.example</c>.</summary>
    public string? Endpoint { get; set; }
}

public sealed class GlobalTableOptions
{
    public string Name { get; set; } = "";

    /// <summary>Regions holding a replica; defaults to every region of the estate.</summary>
    public List<string> Replicas { get; set; } = [];

    /// <summary>Point-in-time recovery window, 1 to 35 days (DynamoDB's <c>RecoveryPeriodInDays</c>).</summary>
    public int PitrRecoveryPeriodDays { get; set; } = 35;

    /// <summary>Table size; a restore takes time proportional to it.</summary>
    public double SizeGb { get; set; } = 20;

    /// <summary>Share of the estate's writes that land in this table; shares are normalised across tables.</summary>
    public double WriteShare { get; set; } = 1;
}

/// <summary>Route 53 health checks, one per regional endpoint, with the settings Route 53 exposes.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>Seconds between two probes of one checker: Route 53 offers 10 (fast) or 30 (standard).</summary>
    public int RequestIntervalSeconds { get; set; } = 30;

    /// <summary>Consecutive probe results a checker needs to change its view, 1 to 10.</summary>
    public int FailureThreshold { get; set; } = 3;

    public string ResourcePath { get; set; } = "/health";

    /// <summary>Route 53 checker regions that probe each endpoint (at least 3); defaults to all eight.</summary>
    public List<string> CheckerLocations { get; set; } = [];
}

public sealed class DnsOptions
{
    public string RecordName { get; set; } = "api.aworld.example";

    public int TtlSeconds { get; set; } = 60;

    public DnsRoutingPolicy RoutingPolicy { get; set; } = DnsRoutingPolicy.Weighted;

    /// <summary>One record per region; defaults to weight 100 for active regions and 0 for backups.</summary>
    public List<DnsRecordOptions> Records { get; set; } = [];
}

public sealed class DnsRecordOptions
{
    public string Region { get; set; } = "";

    /// <summary>Weighted routing: 0 to 255. A zero-weight record is answered only when no non-zero one is healthy.</summary>
    public int Weight { get; set; }

    /// <summary>Failover routing: exactly one primary and one secondary.</summary>
    public FailoverRole? FailoverRole { get; set; }
}

public sealed class RecoveryObjectivesOptions
{
    public TimeSpan Rto { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan Rpo { get; set; } = TimeSpan.FromHours(1);
}
