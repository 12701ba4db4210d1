namespace AWorld.Core.Estate;

/// <summary>One client (API key) of a region: its rate now, its usual rate, and the limit its usage plan sets.</summary>
public sealed record ClientRate(string Client, double RequestsPerSecond, double BaselineRequestsPerSecond, double LimitRequestsPerSecond, bool Reduced);

/// <summary>
/// Per-client throttling at the API's front door, shaped after API Gateway usage plans (GetUsage, UpdateUsagePlan
/// throttle settings per API key). The countermeasure ladder reduces one storming client's limit and restores it.
/// </summary>
public interface IClientThrottler
{
    Task<IReadOnlyList<ClientRate>> TopClientsAsync(string region, int count, CancellationToken cancellationToken);

    /// <summary>Sets a client's limit in a region; null restores the usage plan's default.</summary>
    Task SetClientLimitAsync(string region, string client, double? requestsPerSecond, CancellationToken cancellationToken);
}

/// <summary>Capacity of a region's compute (Lambda reserved concurrency and the like), as a multiple of its configuration.</summary>
public interface IRegionScaler
{
    Task<double> GetScaleAsync(string region, CancellationToken cancellationToken);

    Task SetScaleAsync(string region, double scale, CancellationToken cancellationToken);
}
