using AWorld.Core.Estate;

namespace AWorld.Core.Tests.Shared;

/// <summary>Table routing whose switches are recorded but never show: every read answers the table it started with.</summary>
internal sealed class StuckTableRouting(string startedWith) : ITableRouting
{
    public List<string> Switches { get; } = [];

    public Task<string> GetActiveTableAsync(string logicalTable, string region, CancellationToken cancellationToken) => Task.FromResult(startedWith);

    public Task SetActiveTableAsync(string logicalTable, string region, string physicalTable, CancellationToken cancellationToken)
    {
        Switches.Add(physicalTable);
        return Task.CompletedTask;
    }
}
