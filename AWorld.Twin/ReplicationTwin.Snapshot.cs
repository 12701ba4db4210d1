namespace AWorld.Twin;

internal sealed partial class ReplicationTwin
{
    public ReplicationState Snapshot() => new(
        _random.Snapshot(),
        Acknowledged,
        Replicated,
        Lost,
        [.. FirstCorruptAckSeconds],
        [.. Enumerable.Range(0, _regions).Select(s => Enumerable.Range(0, _regions).Select(d => PairLagMs[s, d]).ToArray())],
        [.. _streams.Select(s => new StreamState(s.LastSequence, s.ReplicatedAnywhere, s.CanarySequence, s.CanariesLost,
            s.Canaries.Count > 0 ? s.Canaries[0].Sequence : s.CanarySequence + 1,
            TwinSnapshot.PackLongs(s.Canaries.Select(c => c.StreamSequence).ToList()),
            TwinSnapshot.PackDoubles(s.Canaries.Select(c => c.AckSeconds).ToList())))],
        [.. _channels.Select(c => new ChannelState(c.Delivered, c.CanaryReceived, c.NextCanary, c.LagMs,
            [.. c.Queue.ToArray().Select(b => new BatchState(b.FirstSequence, b.Count, b.AckSeconds, b.DeliverAt))]))],
        [.. _ackedBySecond.Select(TwinSnapshot.PackLongs)],
        [.. _corruptChanges.Select(changes => changes.SelectMany(c => new[] { c.Steps, c.Total }).ToArray())]);

    /// <summary>Takes the state of a snapshot. Its times are seconds since the twin's start, so a clock jump leaves them as they are.</summary>
    public void Restore(ReplicationState state)
    {
        Acknowledged = state.Acknowledged;
        Replicated = state.Replicated;
        Lost = state.Lost;
        TwinSnapshot.Expect(state.FirstCorruptAckSeconds, FirstCorruptAckSeconds.Length, "replication.firstCorruptAckSeconds").CopyTo(FirstCorruptAckSeconds, 0);
        var lag = TwinSnapshot.Expect(state.PairLagMs, _regions, "replication.pairLagMs");
        for (var s = 0; s < _regions; s++)
        {
            var row = TwinSnapshot.Expect(lag[s], _regions, $"replication.pairLagMs[{s}]");
            for (var d = 0; d < _regions; d++)
            {
                PairLagMs[s, d] = row[d];
            }
        }

        var streams = TwinSnapshot.Expect(state.Streams, _streams.Length, "replication.streams");
        for (var i = 0; i < _streams.Length; i++)
        {
            var (stream, saved) = (_streams[i], streams[i]);
            stream.LastSequence = saved.LastSequence;
            stream.ReplicatedAnywhere = saved.ReplicatedAnywhere;
            stream.CanarySequence = saved.CanarySequence;
            stream.CanariesLost = saved.CanariesLost;
            var places = TwinSnapshot.UnpackLongs(saved.CanaryStreamSequences);
            var acks = TwinSnapshot.UnpackDoubles(saved.CanaryAcks);
            if (places.Count != acks.Length)
            {
                throw new InvalidDataException($"replication.streams[{i}] has {places.Count} canary places and {acks.Length} times");
            }

            stream.Canaries.Clear();
            for (var c = 0; c < places.Count; c++)
            {
                stream.Canaries.Add(new Canary(saved.FirstCanary + c, places[c], acks[c]));
            }
        }

        var channels = TwinSnapshot.Expect(state.Channels, _channels.Length, "replication.channels");
        for (var i = 0; i < _channels.Length; i++)
        {
            var (channel, saved) = (_channels[i], channels[i]);
            if (saved.NextCanary < 0 || saved.NextCanary > channel.Stream.Canaries.Count)
            {
                throw new InvalidDataException($"replication.channels[{i}] points past its stream's canaries");
            }

            channel.Delivered = saved.Delivered;
            channel.CanaryReceived = saved.CanaryReceived;
            channel.NextCanary = saved.NextCanary;
            channel.LagMs = saved.LagMs;
            channel.Queue.Clear();
            foreach (var b in saved.Queue)
            {
                channel.Queue.Enqueue(new Batch(b.FirstSequence, b.Count, b.AckSeconds, b.DeliverAt));
            }
        }

        var acked = TwinSnapshot.Expect(state.AckedBySecond, _ackedBySecond.Length, "replication.ackedBySecond");
        var corrupt = TwinSnapshot.Expect(state.CorruptChanges, _corruptChanges.Length, "replication.corruptChanges");
        for (var t = 0; t < _ackedBySecond.Length; t++)
        {
            _ackedBySecond[t].Clear();
            _ackedBySecond[t].AddRange(TwinSnapshot.UnpackLongs(acked[t]));
            if (corrupt[t].Length % 2 != 0)
            {
                throw new InvalidDataException($"replication.corruptChanges[{t}] has an odd length");
            }

            _corruptChanges[t].Clear();
            for (var j = 0; j < corrupt[t].Length; j += 2)
            {
                _corruptChanges[t].Add((corrupt[t][j], corrupt[t][j + 1]));
            }
        }

        _random.Restore(state.Random);
    }

    private sealed partial class BatchQueue
    {
        public Batch[] ToArray()
        {
            var items = new Batch[_count];
            for (var i = 0; i < _count; i++)
            {
                items[i] = _items[(_head + i) % _items.Length];
            }

            return items;
        }
    }
}
