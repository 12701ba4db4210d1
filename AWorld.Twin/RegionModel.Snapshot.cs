namespace AWorld.Twin;

internal sealed partial class RegionModel
{
    public RegionState Snapshot() =>
        new(_random.Snapshot(), _latencyNoise, _tailNoise, _readNoise, _cpuNoise, _memoryNoise, LatencyP50Ms, Scale, LastSentRps, new Dictionary<string, double>(ClientLimits, StringComparer.Ordinal));

    public void Restore(RegionState state)
    {
        (_latencyNoise, _tailNoise, _readNoise, _cpuNoise, _memoryNoise) = (state.LatencyNoise, state.TailNoise, state.ReadNoise, state.CpuNoise, state.MemoryNoise);
        LatencyP50Ms = state.LatencyP50Ms;
        Scale = state.Scale;
        LastSentRps = state.LastSentRps;
        ClientLimits.Clear();
        foreach (var (client, limit) in state.ClientLimits ?? [])
        {
            ClientLimits[client] = limit;
        }

        _random.Restore(state.Random);
    }
}
