namespace AWorld.Twin;

internal sealed partial class TableTwin
{
    public TablesState Snapshot() =>
        new([.. _restores.Select(kv => new RestoreState(kv.Key.Table, kv.Key.Region, kv.Value.Source, kv.Value.PointInTime, kv.Value.CreatedAt, kv.Value.ReadyAt, kv.Value.Items, kv.Value.CorruptItems))]);

    /// <summary>Takes the restores of a snapshot; their times move by <paramref name="shift"/>.</summary>
    public void Restore(TablesState state, TimeSpan shift)
    {
        _restores.Clear();
        foreach (var r in state.Restores)
        {
            _restores[(r.Table, r.Region)] = new RestoreJob(r.Source, r.PointInTime + shift, r.CreatedAt + shift, r.ReadyAt + shift, r.Items, r.CorruptItems);
        }
    }
}
