namespace AWorld.Twin;

internal sealed partial class FaultBook
{
    public FaultState Snapshot()
    {
        var n = Outage.Length;
        return new FaultState(
            _nextId,
            [.. _faults],
            [.. Outage],
            [.. Enumerable.Range(0, n).Select(r => Enumerable.Range(0, n).Select(p => Partitioned[r, p]).ToArray())],
            [.. LatencyMs],
            [.. ErrorRate],
            [.. StormMultiplier],
            [.. StormClient],
            [.. FlapProbability],
            [.. CorruptShare]);
    }

    /// <summary>Takes the state of a snapshot; every fault's times move by <paramref name="shift"/>.</summary>
    public void Restore(FaultState state, TimeSpan shift)
    {
        var n = Outage.Length;
        _faults.Clear();
        foreach (var fault in state.All)
        {
            var problem = fault.Spec is null ? "it has no spec" : fault.Spec.Validate(_estate);
            if (problem is not null)
            {
                throw new InvalidDataException($"fault {fault.Id} does not fit the estate: {problem}");
            }

            _faults.Add(fault with { StartsAt = fault.StartsAt + shift, EndsAt = fault.EndsAt + shift });
        }

        _nextId = state.NextId;
        TwinSnapshot.Expect(state.Outage, n, "faults.outage").CopyTo(Outage, 0);
        var partitioned = TwinSnapshot.Expect(state.Partitioned, n, "faults.partitioned");
        for (var r = 0; r < n; r++)
        {
            var row = TwinSnapshot.Expect(partitioned[r], n, $"faults.partitioned[{r}]");
            for (var p = 0; p < n; p++)
            {
                Partitioned[r, p] = row[p];
            }
        }

        TwinSnapshot.Expect(state.LatencyMs, n, "faults.latencyMs").CopyTo(LatencyMs, 0);
        TwinSnapshot.Expect(state.ErrorRate, n, "faults.errorRate").CopyTo(ErrorRate, 0);
        TwinSnapshot.Expect(state.StormMultiplier, n, "faults.stormMultiplier").CopyTo(StormMultiplier, 0);
        TwinSnapshot.Expect(state.StormClient, n, "faults.stormClient").CopyTo(StormClient, 0);
        TwinSnapshot.Expect(state.FlapProbability, n, "faults.flapProbability").CopyTo(FlapProbability, 0);
        TwinSnapshot.Expect(state.CorruptShare, n, "faults.corruptShare").CopyTo(CorruptShare, 0);
    }
}
