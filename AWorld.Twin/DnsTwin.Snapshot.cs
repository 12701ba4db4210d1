using AWorld.Core.Estate;

namespace AWorld.Twin;

internal sealed partial class DnsTwin
{
    public DnsState Snapshot() => new(
        _random.Snapshot(),
        [.. _weights],
        [.. _served],
        [.. _target],
        [.. _hold],
        [.. _wheel.Select(bucket => bucket.ToArray())],
        [.. _share],
        [.. _clientsIn],
        _nextChangeId,
        [.. _changes.Select(c => new DnsChangeState(c.Info.Id, c.Info.Status, c.Info.SubmittedAt, c.Info.Comment, c.InSyncAt,
            [.. c.Weights.Select(w => w.Region)], [.. c.Weights.Select(w => w.Weight)]))]);

    /// <summary>Takes the state of a snapshot; its times move by <paramref name="shift"/> (a clock jump after a long stop).</summary>
    public void Restore(DnsState state, TimeSpan shift)
    {
        var regions = _weights.Length;
        var clients = _target.Length;
        TwinSnapshot.Expect(state.Weights, regions, "dns.weights").CopyTo(_weights, 0);
        TwinSnapshot.Expect(state.Served, regions, "dns.served").CopyTo(_served, 0);
        TwinSnapshot.Expect(state.Share, regions, "dns.share").CopyTo(_share, 0);
        TwinSnapshot.Expect(state.ClientsIn, regions, "dns.clientsIn").CopyTo(_clientsIn, 0);
        TwinSnapshot.Expect(state.Target, clients, "dns.target").CopyTo(_target, 0);
        TwinSnapshot.Expect(state.Hold, clients, "dns.hold").CopyTo(_hold, 0);
        var wheel = TwinSnapshot.Expect(state.Wheel, _wheel.Length, "dns.wheel");
        for (var i = 0; i < _wheel.Length; i++)
        {
            if (wheel[i].Any(c => c < 0 || c >= clients) || _target.Any(t => t < 0 || t >= regions))
            {
                throw new InvalidDataException("dns names a client or region the estate does not have");
            }

            _wheel[i].Clear();
            _wheel[i].AddRange(wheel[i]);
        }

        _changes.Clear();
        foreach (var c in state.Changes)
        {
            var weights = c.Regions.Zip(c.Weights, (r, w) => (r < 0 || r >= regions) ? throw new InvalidDataException($"change {c.Id} names region {r}") : (r, w)).ToList();
            _changes.Add(new PendingChange(new ChangeInfo(c.Id, c.Status, c.SubmittedAt + shift, c.Comment), weights, c.InSyncAt + shift));
        }

        _nextChangeId = state.NextChangeId;
        _random.Restore(state.Random);
    }
}
