using AWorld.Core.Estate;

namespace AWorld.Twin;

/// <summary>
/// Global-table replication. Every replica region has a write stream per table: writes are sequence-numbered and
/// acknowledged locally, then shipped to each other replica over its own ordered channel with sub-second delay.
/// A partition or a down destination stalls a channel (its backlog and lag grow); when the stall ends the
/// backlog drains at the channel's throughput. When a region fails, its acknowledged writes that no other region
/// has yet received are lost and counted.
/// </summary>
/// <remarks>
/// Canaries: every second each region that accepts writes adds one sequence-numbered canary item to its stream of
/// its canary table (the first global table it replicates), inside that second's batch, so a canary travels, waits
/// and is lost exactly like the application's writes around it. Corrupt writes of a bad deploy are counted per
/// table the same way; the per-second totals per table let a PITR restore know what it contains.
/// </remarks>
internal sealed partial class ReplicationTwin
{
    private readonly int _regions;
    private readonly Stream[] _streams;
    private readonly Channel[] _channels;
    private readonly SimRandom _random;
    private readonly double _medianDelaySeconds;
    private readonly double _throughput;
    private readonly Stream?[] _canaryStreams;
    private readonly List<long>[] _ackedBySecond;
    private readonly List<(long Steps, long Total)>[] _corruptChanges;

    public ReplicationTwin(EstateTopology estate, SimulationOptions options, SimRandom random)
    {
        _regions = estate.Regions.Length;
        _random = random;
        _medianDelaySeconds = options.ReplicationMedianDelayMs / 1000;
        _throughput = options.ReplicationThroughputWritesPerSecond;
        var streams = new List<Stream>();
        var channels = new List<Channel>();
        var totalShare = estate.Tables.Sum(t => t.WriteShare);
        for (var t = 0; t < estate.Tables.Length; t++)
        {
            var table = estate.Tables[t];
            var replicas = table.Replicas.Select(code => estate.Region(code).Index).ToArray();
            foreach (var source in replicas)
            {
                var stream = new Stream(t, source, totalShare > 0 ? table.WriteShare / totalShare : 1.0 / estate.Tables.Length);
                foreach (var destination in replicas.Where(d => d != source))
                {
                    var channel = new Channel(stream, destination);
                    stream.Channels.Add(channel);
                    channels.Add(channel);
                }

                streams.Add(stream);
            }
        }

        _streams = [.. streams];
        _channels = [.. channels];
        PairLagMs = new double[_regions, _regions];
        _canaryStreams = new Stream?[_regions];
        for (var r = 0; r < _regions; r++)
        {
            _canaryStreams[r] = _streams.Where(s => s.Source == r).OrderBy(s => s.Table).FirstOrDefault();
        }

        _ackedBySecond = estate.Tables.Select(_ => new List<long>()).ToArray();
        _corruptChanges = estate.Tables.Select(_ => new List<(long, long)>()).ToArray();
        FirstCorruptAckSeconds = Enumerable.Repeat(double.NaN, estate.Tables.Length).ToArray();
    }

    /// <summary>Per table: corrupt writes acknowledged so far.</summary>
    public long CorruptWrites(int table) => _corruptChanges[table].Count == 0 ? 0 : _corruptChanges[table][^1].Total;

    /// <summary>Per table: when (seconds since the start) the first corrupt write was acknowledged; NaN when none was.</summary>
    public double[] FirstCorruptAckSeconds { get; }

    /// <summary>
    /// Writes to <paramref name="table"/> (all regions, corrupt ones included) and corrupt writes acknowledged at or
    /// before <paramref name="second"/> seconds since the start: what a restore to that moment contains.
    /// </summary>
    public (long Items, long Corrupt) AcknowledgedUpTo(int table, long second)
    {
        // Batches of step s are acknowledged inside (s, s + 1): a whole second T holds the steps before T.
        var steps = Math.Min(second, _ackedBySecond[table].Count);
        if (steps <= 0)
        {
            return (0, 0);
        }

        // Corrupt totals are kept only where they change (a bad deploy is rare); take the last change within the steps.
        var corrupt = 0L;
        foreach (var (changedAfter, total) in _corruptChanges[table])
        {
            if (changedAfter > steps)
            {
                break;
            }

            corrupt = total;
        }

        return (_ackedBySecond[table][(int)steps - 1], corrupt);
    }

    /// <summary>The region's canary table (the first table it replicates), or -1 when it replicates none.</summary>
    public int CanaryTable(int region) => _canaryStreams[region]?.Table ?? -1;

    /// <summary>The region's newest acknowledged canary: its sequence (0 when none) and acknowledgement time in seconds since the start.</summary>
    public (long Sequence, double AckSeconds) LastCanary(int region) =>
        _canaryStreams[region] is { Canaries.Count: > 0 } s ? (s.Canaries[^1].Sequence, s.Canaries[^1].AckSeconds) : (0, double.NaN);

    /// <summary>Canaries of the region lost because it failed before any other region had them.</summary>
    public long CanariesLost(int region) => _canaryStreams[region]?.CanariesLost ?? 0;

    /// <summary>The newest canary of <paramref name="source"/> that <paramref name="destination"/> has received (0 when none).</summary>
    public long CanaryReceived(int source, int destination) =>
        _canaryStreams[source]?.Channels.FirstOrDefault(c => c.Destination == destination)?.CanaryReceived ?? 0;

    public long Acknowledged { get; private set; }

    /// <summary>Writes that reached at least one region other than the one that acknowledged them.</summary>
    public long Replicated { get; private set; }

    /// <summary>Acknowledged writes lost because their region failed before any other region had them.</summary>
    public long Lost { get; private set; }

    public long Pending => Acknowledged - Replicated - Lost;

    /// <summary>Current lag per (source, destination): the maximum over tables; NaN where no channel exists.</summary>
    public double[,] PairLagMs { get; }

    public int ChannelCount => _channels.Length;

    public (int Table, int Source, int Destination) ChannelKey(int channel) =>
        (_channels[channel].Stream.Table, _channels[channel].Stream.Source, _channels[channel].Destination);

    public double ChannelLagMs(int channel) => _channels[channel].LagMs;

    /// <summary>Writes acknowledged in <paramref name="region"/> that no other region has yet, and the age of the oldest.</summary>
    public (long Writes, double OldestAgeSeconds) Unreplicated(int region, double nowSeconds)
    {
        long writes = 0;
        var oldest = 0.0;
        foreach (var stream in _streams.Where(s => s.Source == region))
        {
            writes += stream.LastSequence - stream.ReplicatedAnywhere;
            var firstMissing = stream.ReplicatedAnywhere + 1;
            foreach (var channel in stream.Channels)
            {
                if (channel.Queue.Count > 0 && channel.Queue.Peek() is var head
                    && head.FirstSequence <= firstMissing && firstMissing < head.FirstSequence + head.Count)
                {
                    oldest = Math.Max(oldest, nowSeconds - head.AckSeconds);
                }
            }
        }

        return (writes, oldest);
    }

    /// <summary>The region failed: its unreplicated writes are gone, and its streams stop.</summary>
    public void RegionFailed(int region)
    {
        foreach (var stream in _streams.Where(s => s.Source == region))
        {
            var lost = stream.LastSequence - stream.ReplicatedAnywhere;
            Lost += lost;
            stream.CanariesLost += stream.Canaries.Count(c => c.StreamSequence > stream.ReplicatedAnywhere);
            stream.ReplicatedAnywhere = stream.LastSequence;
            foreach (var channel in stream.Channels)
            {
                channel.Queue.Clear();
                channel.Delivered = stream.LastSequence;

                // The lost canaries never arrive: skip them without counting them as received.
                channel.NextCanary = stream.Canaries.Count;
            }
        }
    }

    /// <summary>
    /// Acknowledges <paramref name="writesPerRegion"/> new writes (split across tables) in the step
    /// [<paramref name="second"/>, +1 s), plus one canary per region that is up, then delivers what each channel can
    /// by the end of the step. <paramref name="corruptShare"/> (per region, 0–1) is the share of a region's writes to
    /// its canary table that a bad deploy corrupts.
    /// </summary>
    public void Step(long second, long[] writesPerRegion, bool[] down, bool[,] partitioned, double[]? corruptShare = null)
    {
        var ackedThisStep = new long[_ackedBySecond.Length];
        var corruptThisStep = new long[_ackedBySecond.Length];
        foreach (var stream in _streams)
        {
            var writes = writesPerRegion[stream.Source];
            if (down[stream.Source])
            {
                continue;
            }

            var isCanaryStream = ReferenceEquals(_canaryStreams[stream.Source], stream);
            var count = writes <= 0 ? 0 : (long)Math.Floor((writes * stream.Share) + _random.NextDouble());
            if (count <= 0 && !isCanaryStream)
            {
                continue;
            }

            // One batch per step: acknowledged somewhere in the second, delivered after a log-normal delay.
            var ack = second + _random.NextDouble();
            if (isCanaryStream)
            {
                count++;
                stream.Canaries.Add(new Canary(++stream.CanarySequence, stream.LastSequence + count, ack));
                var corrupt = corruptShare is null ? 0 : (long)Math.Round((count - 1) * Math.Clamp(corruptShare[stream.Source], 0, 1));
                if (corrupt > 0)
                {
                    corruptThisStep[stream.Table] += corrupt;
                    if (double.IsNaN(FirstCorruptAckSeconds[stream.Table]) || ack < FirstCorruptAckSeconds[stream.Table])
                    {
                        FirstCorruptAckSeconds[stream.Table] = ack;
                    }
                }
            }

            if (isCanaryStream)
            {
                CompactCanaries(stream);
            }

            ackedThisStep[stream.Table] += count;
            var first = stream.LastSequence + 1;
            stream.LastSequence += count;
            Acknowledged += count;
            foreach (var channel in stream.Channels)
            {
                var delay = Math.Clamp(_medianDelaySeconds * Math.Exp(0.35 * _random.NextGaussian()), 0.08, 0.98);
                channel.Queue.Enqueue(new Batch(first, count, ack, ack + delay));
            }
        }

        for (var t = 0; t < _ackedBySecond.Length; t++)
        {
            _ackedBySecond[t].Add((_ackedBySecond[t].Count == 0 ? 0 : _ackedBySecond[t][^1]) + ackedThisStep[t]);
            if (corruptThisStep[t] > 0)
            {
                _corruptChanges[t].Add((_ackedBySecond[t].Count, CorruptWrites(t) + corruptThisStep[t]));
            }
        }

        var end = second + 1.0;
        foreach (var channel in _channels)
        {
            var source = channel.Stream.Source;
            if (down[source])
            {
                continue;
            }

            if (down[channel.Destination] || partitioned[source, channel.Destination])
            {
                channel.LagMs = channel.Queue.Count > 0 ? (end - channel.Queue.Peek().AckSeconds) * 1000 : channel.LagMs;
                continue;
            }

            Deliver(channel, end);
        }

        foreach (var stream in _streams)
        {
            var best = stream.ReplicatedAnywhere;
            foreach (var channel in stream.Channels)
            {
                best = Math.Max(best, channel.Delivered);
            }

            Replicated += best - stream.ReplicatedAnywhere;
            stream.ReplicatedAnywhere = best;
        }

        for (var s = 0; s < _regions; s++)
        {
            for (var d = 0; d < _regions; d++)
            {
                PairLagMs[s, d] = double.NaN;
            }
        }

        foreach (var channel in _channels)
        {
            var s = channel.Stream.Source;
            var d = channel.Destination;
            if (!double.IsNaN(channel.LagMs))
            {
                PairLagMs[s, d] = double.IsNaN(PairLagMs[s, d]) ? channel.LagMs : Math.Max(PairLagMs[s, d], channel.LagMs);
            }
        }
    }

    /// <summary>Drops canaries every channel has already passed, keeping memory flat over long runs.</summary>
    private static void CompactCanaries(Stream stream)
    {
        const int Keep = 4096;
        if (stream.Canaries.Count < Keep * 2)
        {
            return;
        }

        // Keep the newest: LastCanary reads it even when every channel has passed it.
        var passed = Math.Min(stream.Channels.Count == 0 ? int.MaxValue : stream.Channels.Min(c => c.NextCanary), stream.Canaries.Count - 1);
        if (passed < Keep)
        {
            return;
        }

        stream.Canaries.RemoveRange(0, passed);
        foreach (var channel in stream.Channels)
        {
            channel.NextCanary -= passed;
        }
    }

    private void Deliver(Channel channel, double end)
    {
        var budget = (long)_throughput;
        var latencySum = 0.0;
        long delivered = 0;
        while (budget > 0 && channel.Queue.Count > 0 && channel.Queue.Peek().DeliverAt <= end)
        {
            var batch = channel.Queue.Dequeue();
            var take = Math.Min(batch.Count, budget);
            if (take < batch.Count)
            {
                // The stream cannot carry the whole batch this second: the rest waits at the head of the queue.
                channel.Queue.EnqueueFront(batch with { FirstSequence = batch.FirstSequence + take, Count = batch.Count - take });
            }

            // A write that waited in a backlog arrives at the end of this step, not at its nominal time.
            var arrival = batch.DeliverAt > end - 1 ? batch.DeliverAt : end;
            latencySum += (arrival - batch.AckSeconds) * take;
            delivered += take;
            budget -= take;
            channel.Delivered = batch.FirstSequence + take - 1;
        }

        var canaries = channel.Stream.Canaries;
        while (channel.NextCanary < canaries.Count && canaries[channel.NextCanary].StreamSequence <= channel.Delivered)
        {
            channel.CanaryReceived = canaries[channel.NextCanary].Sequence;
            channel.NextCanary++;
        }

        if (channel.Queue.Count > 0 && channel.Queue.Peek().DeliverAt <= end)
        {
            // Writes still due but not delivered: the lag is the age of the oldest of them.
            channel.LagMs = (end - channel.Queue.Peek().AckSeconds) * 1000;
        }
        else if (delivered > 0)
        {
            channel.LagMs = latencySum / delivered * 1000;
        }
    }

    private readonly record struct Batch(long FirstSequence, long Count, double AckSeconds, double DeliverAt);

    /// <summary>A canary: its own sequence (1, 2, …), its place in the stream, and when it was acknowledged.</summary>
    private readonly record struct Canary(long Sequence, long StreamSequence, double AckSeconds);

    private sealed class Stream(int table, int source, double share)
    {
        public int Table { get; } = table;

        public int Source { get; } = source;

        public double Share { get; } = share;

        public long LastSequence { get; set; }

        public long ReplicatedAnywhere { get; set; }

        public List<Channel> Channels { get; } = [];

        public List<Canary> Canaries { get; } = [];

        public long CanarySequence { get; set; }

        public long CanariesLost { get; set; }
    }

    private sealed class Channel(Stream stream, int destination)
    {
        public Stream Stream { get; } = stream;

        public int Destination { get; } = destination;

        public BatchQueue Queue { get; } = new();

        public long Delivered { get; set; }

        public long CanaryReceived { get; set; }

        /// <summary>Index into the stream's canaries of the next one this channel has not delivered.</summary>
        public int NextCanary { get; set; }

        /// <summary>NaN until the first write arrives: with no writes, ReplicationLatency has no data.</summary>
        public double LagMs { get; set; } = double.NaN;
    }

    /// <summary>A FIFO that can also put a partly delivered batch back at its head.</summary>
    private sealed partial class BatchQueue
    {
        private Batch[] _items = new Batch[16];
        private int _head;
        private int _count;

        public int Count => _count;

        public Batch Peek() => _items[_head];

        public void Enqueue(Batch batch)
        {
            Grow();
            _items[(_head + _count) % _items.Length] = batch;
            _count++;
        }

        public void EnqueueFront(Batch batch)
        {
            Grow();
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = batch;
            _count++;
        }

        public Batch Dequeue()
        {
            var item = _items[_head];
            _head = (_head + 1) % _items.Length;
            _count--;
            return item;
        }

        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        private void Grow()
        {
            if (_count < _items.Length)
            {
                return;
            }

            var bigger = new Batch[_items.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _items[(_head + i) % _items.Length];
            }

            _items = bigger;
            _head = 0;
        }
    }
}
