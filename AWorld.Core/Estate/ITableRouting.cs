namespace AWorld.Core.Estate;

/// <summary>
/// Which physical table the application uses for a logical table in a region: the switch a restore cutover flips.
/// Against AWS this is the application's configuration (an SSM parameter or AppConfig value per table and region);
/// the twin keeps it in memory.
/// </summary>
public interface ITableRouting
{
    Task<string> GetActiveTableAsync(string table, string region, CancellationToken cancellationToken);

    Task SetActiveTableAsync(string table, string region, string physicalTable, CancellationToken cancellationToken);
}
