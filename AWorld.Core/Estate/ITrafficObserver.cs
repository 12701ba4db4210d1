namespace AWorld.Core.Estate;

/// <summary>
/// The share of the estate's client traffic that goes to a region, as clients actually send it (whether or not
/// the region answers). The twin knows it from its clients; against AWS it comes from the API's request counts.
/// The executor uses it to verify that a traffic move really happened.
/// </summary>
public interface ITrafficObserver
{
    Task<double> SentShareAsync(string region, CancellationToken cancellationToken);
}
