using System.Text.Json.Nodes;

namespace AWorld.Twin.Serve;

/// <summary>
/// The items written through the served DynamoDB (the console's canaries): small, in memory, one store per table.
/// An item written in a region is there at once; it reaches each other replica region when the twin's replication
/// has carried the canary the twin's own writer puts there next, and never when the region fails before (the twin
/// loses that canary, and with it what was written beside it). So items written through the served twin are lost or
/// late exactly as the twin's writes are. Items of restored tables (no replicas) stay in their region.
/// </summary>
/// <remarks>Thread-safe: one lock.</remarks>
internal sealed class ServedItems(EstateTwin twin)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Table, string Key), List<Version>> _items = [];

    /// <summary>Writes <paramref name="item"/> under <paramref name="key"/> in <paramref name="region"/>; <paramref name="replicas"/> are the table's other regions.</summary>
    public void Put(string table, string region, string key, JsonObject item, IReadOnlyCollection<string> replicas)
    {
        var (sequence, failures) = replicas.Count > 0 && twin.Estate.TryGetRegion(region, out _) ? twin.CanaryCursor(region) : (0L, 0);
        lock (_gate)
        {
            if (!_items.TryGetValue((table, key), out var versions))
            {
                _items[(table, key)] = versions = [];
            }

            versions.Add(new Version(region, sequence, failures, (JsonObject)item.DeepClone()));

            // Keep the versions a region may still show: from the newest that every replica region already has.
            var everywhere = versions.FindLastIndex(v => replicas.All(r => Arrived(v, r)));
            if (everywhere > 0)
            {
                versions.RemoveRange(0, everywhere);
            }
        }
    }

    /// <summary>The newest version of the item that has reached <paramref name="region"/>, or null.</summary>
    public JsonObject? Get(string table, string region, string key)
    {
        lock (_gate)
        {
            if (!_items.TryGetValue((table, key), out var versions))
            {
                return null;
            }

            for (var i = versions.Count - 1; i >= 0; i--)
            {
                if (Arrived(versions[i], region))
                {
                    return (JsonObject)versions[i].Item.DeepClone();
                }
            }

            return null;
        }
    }

    private bool Arrived(Version v, string region) =>
        v.Region == region || (v.Sequence > 0 && twin.CanaryArrived(v.Region, region, v.Sequence, v.Failures));

    private sealed record Version(string Region, long Sequence, int Failures, JsonObject Item);
}
