using Microsoft.Extensions.Options;

namespace AWorld.Core.Estate;

/// <summary>Fills every list the configuration left empty with the default estate.</summary>
public sealed class EstateDefaults : IPostConfigureOptions<EstateOptions>
{
    /// <summary>The eight Route 53 health-checker regions.</summary>
    public static readonly IReadOnlyList<string> Route53CheckerRegions =
    [
        "us-east-1", "us-west-1", "us-west-2", "eu-west-1",
        "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
    ];

    public void PostConfigure(string? name, EstateOptions options) => Apply(options);

    public static EstateOptions Apply(EstateOptions options)
    {
        if (options.Regions.Count == 0)
        {
            options.Regions.Add(new RegionOptions { Code = "eu-west-1", DisplayName = "Ireland", Role = RegionRole.Active });
            options.Regions.Add(new RegionOptions { Code = "eu-central-1", DisplayName = "Frankfurt", Role = RegionRole.Active });
            options.Regions.Add(new RegionOptions { Code = "eu-north-1", DisplayName = "Stockholm", Role = RegionRole.Backup });
        }

        if (options.Tables.Count == 0)
        {
            options.Tables.Add(new GlobalTableOptions { Name = "aworld-players", SizeGb = 40, WriteShare = 3 });
            options.Tables.Add(new GlobalTableOptions { Name = "aworld-sessions", SizeGb = 8, WriteShare = 1 });
        }

        foreach (var table in options.Tables.Where(t => t.Replicas.Count == 0))
        {
            table.Replicas.AddRange(options.Regions.Select(r => r.Code));
        }

        if (options.HealthChecks.CheckerLocations.Count == 0)
        {
            options.HealthChecks.CheckerLocations.AddRange(Route53CheckerRegions);
        }

        if (options.Dns.Records.Count == 0)
        {
            var primaryTaken = false;
            var secondaryTaken = false;
            foreach (var region in options.Regions)
            {
                var record = new DnsRecordOptions { Region = region.Code, Weight = region.Role == RegionRole.Active ? 100 : 0 };
                if (options.Dns.RoutingPolicy == DnsRoutingPolicy.Failover)
                {
                    if (!primaryTaken && region.Role == RegionRole.Active)
                    {
                        record.FailoverRole = FailoverRole.Primary;
                        primaryTaken = true;
                    }
                    else if (!secondaryTaken)
                    {
                        record.FailoverRole = FailoverRole.Secondary;
                        secondaryTaken = true;
                    }
                    else
                    {
                        continue;
                    }
                }

                options.Dns.Records.Add(record);
            }
        }

        return options;
    }
}
