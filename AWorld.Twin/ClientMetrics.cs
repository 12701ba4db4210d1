namespace AWorld.Twin;

/// <summary>
/// The metrics the twin's CloudWatch keeps about its clients, besides the catalog's service metrics: each client's
/// (API key's) requests per region, which is what per-client throttling reads, and the synthetic clients' success,
/// which is a drill's ground truth of recovery. Both have a value for every second, like every metric of the twin.
/// </summary>
public static class ClientMetrics
{
    public const string Namespace = "AWorld/Clients";

    /// <summary>Requests one client sent to a region in a second (Sum over a period: the requests in it); dimensions <see cref="RegionDimension"/> and <see cref="ClientDimension"/>. No data while the region is down.</summary>
    public const string Requests = "Requests";

    /// <summary>Share of the estate's client requests that succeeded in a second (0–1, Average over a period); no dimensions, read in <see cref="SuccessRegion"/>.</summary>
    public const string SuccessRatio = "SuccessRatio";

    public const string RegionDimension = "Region";

    public const string ClientDimension = "Client";

    /// <summary>Where the synthetic clients publish: outside the estate, so that no regional outage hides the ground truth.</summary>
    public const string SuccessRegion = "us-east-1";

    /// <summary>The clients (API keys) of every region, busiest first in usual traffic.</summary>
    public static IReadOnlyList<string> Clients { get; } = RegionModel.Tenants;
}
