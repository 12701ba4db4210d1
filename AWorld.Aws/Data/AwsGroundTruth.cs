using System.Globalization;
using System.Runtime.ExceptionServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.DynamoDBv2.Model.Internal.MarshallTransformations;
using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Aws.Data;

/// <summary>
/// <see cref="IGroundTruth"/> for live drills against AWS: what a drill can measure from outside the application.
/// </summary>
/// <remarks>
/// <para><b>Canaries</b> (only with <see cref="AwsCanaryOptions.Enabled"/> and <see cref="AwsOptions.AllowWrites"/>; a
/// canary is a write): on every <see cref="ReadAsync"/> the next sequence number is written into each region's
/// replica of the canary table (<see cref="AwsCanaryOptions.Table"/>, else the estate's first table), as the item
/// <c>{KeyAttribute: "aworld-canary#{region}", seq: N, at: S (ISO 8601 UTC)}</c>, and every region's item is read
/// (strongly consistent <c>GetItem</c>) from every other region's replica. Each call is one attempt of at most
/// <see cref="AwsCanaryOptions.Timeout"/>. A region whose write fails counts as <see cref="RegionTruth.Down"/> for that
/// sample; its sequence moves on only when a write is acknowledged. A read that fails keeps the last value read. The
/// first write to a region continues from the sequence its replica holds, so a restarted console does not go back.
/// One console writes canaries at a time.</para>
/// <para><b>Replication lag</b> per pair is the age of the oldest canary of the source that the receiver does not hold
/// (0 when it holds the newest), to the one-second resolution of the samples.</para>
/// <para><b>Clients' success</b> is <see cref="IClientSuccessSource"/>'s ratio of its newest period (not of the last
/// second), the last one known when a read fails, and 0 until one is known: no recovery is claimed without evidence.
/// <b>Traffic shares</b>, <b>weights</b> and <b>Route 53's view</b> come from the engine's ports
/// (<see cref="ITrafficObserver"/>, <see cref="ITrafficRouter"/>, <see cref="IHealthSource"/>: the share of checkers
/// whose last probe succeeded, healthy above 18%), the <b>tables the application uses</b> from
/// <see cref="ITableRouting"/>. These are read in the background every <see cref="AwsGroundTruthOptions.RefreshInterval"/>
/// (Route 53 every <see cref="AwsGroundTruthOptions.Route53RefreshInterval"/>), the last values used in between and
/// when a port fails; the first sample waits for the first reads (until then a region reads 0% healthy).</para>
/// <para><b>What AWS cannot know</b> is reported as 0 or empty: the application's writes (acknowledged, replicated,
/// lost, pending, and per region those not yet replicated), requests and failures in total, canaries lost, items
/// written in a table, corrupt writes and corrupt items. A restored table's expected items are its item count.</para>
/// <para>Thread-safe: samples are taken one at a time.</para>
/// </remarks>
public sealed class AwsGroundTruth : IGroundTruth, IDisposable
{
    /// <summary>The canary items' partition key is this prefix and the writing region.</summary>
    public const string CanaryKeyPrefix = "aworld-canary#";

    private const int AckHistory = 4096;

    private readonly AwsSdkClients _clients;
    private readonly EstateTopology _estate;
    private readonly ITrafficObserver _traffic;
    private readonly ITrafficRouter _router;
    private readonly IHealthSource _health;
    private readonly ITableRouting _routing;
    private readonly IClientSuccessSource _success;
    private readonly TimeProvider _clock;
    private readonly string _canaryTable;
    private readonly string[] _canaryRegions;
    private readonly Dictionary<string, Writer> _writers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), long> _received = [];
    private readonly SemaphoreSlim _sampling = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();

    // The slowly refreshed part, written by the background refreshes under _gate.
    private readonly double[] _shares;
    private readonly int[] _weights;
    private readonly bool[] _healthy;
    private readonly double[] _percentHealthy;
    private readonly Dictionary<(string Table, string Region), string> _activeTables = [];
    private double? _successRatio;
    private Task? _refresh;
    private Task? _route53Refresh;
    private DateTimeOffset _nextRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset _nextRoute53Refresh = DateTimeOffset.MinValue;
    private bool _primed;

    public AwsGroundTruth(
        AwsSdkClients clients,
        EstateTopology estate,
        ITrafficObserver traffic,
        ITrafficRouter router,
        IHealthSource health,
        ITableRouting routing,
        IClientSuccessSource success,
        [FromKeyedServices(EstateClock.Key)] TimeProvider clock)
    {
        _clients = clients;
        _estate = estate;
        _traffic = traffic;
        _router = router;
        _health = health;
        _routing = routing;
        _success = success;
        _clock = clock;
        var canaries = clients.Options.Canaries;
        _canaryTable = string.IsNullOrWhiteSpace(canaries.Table) ? estate.Tables.FirstOrDefault()?.Name ?? "" : canaries.Table;
        var table = estate.Tables.FirstOrDefault(t => t.Name == _canaryTable);
        _canaryRegions = [.. estate.Regions.Select(r => r.Code).Where(code => table is null || table.Replicas.Contains(code))];
        foreach (var region in _canaryRegions)
        {
            _writers[region] = new Writer();
        }

        var n = estate.Regions.Length;
        (_shares, _weights, _healthy, _percentHealthy) = (new double[n], new int[n], new bool[n], new double[n]);
    }

    /// <summary>Whether canaries are written and read: enabled, writes allowed, and a table to write them to.</summary>
    public bool CanariesActive => _clients.Options.Canaries.Enabled && _clients.Options.AllowWrites && _canaryTable.Length > 0;

    /// <summary>The background refreshes now running, for tests that need their values in the next sample.</summary>
    internal Task Refreshing
    {
        get
        {
            lock (_gate)
            {
                return Task.WhenAll(_refresh ?? Task.CompletedTask, _route53Refresh ?? Task.CompletedTask);
            }
        }
    }

    public async Task<EstateTruth> ReadAsync(CancellationToken cancellationToken)
    {
        await _sampling.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow();
            var refreshing = StartRefreshes(now);
            if (!_primed)
            {
                await refreshing;
                _primed = true;
            }

            if (CanariesActive)
            {
                await Task.WhenAll([.. _canaryRegions.Select(r => WriteCanaryAsync(r, cancellationToken)), .. Pairs().Select(p => ReadCanaryAsync(p.From, p.To, cancellationToken))]);
            }

            return Build(now);
        }
        finally
        {
            _sampling.Release();
        }
    }

    public async Task<RestoredTableTruth?> RestoredTableAsync(string tableName, string region, CancellationToken cancellationToken)
    {
        Amazon.DynamoDBv2.Model.TableDescription table;
        try
        {
            table = await DynamoDbTableAdmin.DescribeAsync(_clients, tableName, region, cancellationToken);
        }
        catch (EstateServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            return null;
        }

        if (DynamoDbTableAdmin.Map(table.RestoreSummary, region) is not { } restore)
        {
            // A table of that name that no restore made is not the restored table the drill asks about.
            return null;
        }

        // ItemCount is DynamoDB's, refreshed about every six hours; AWS cannot say what the table should hold, nor
        // which items are corrupt.
        var items = table.ItemCount ?? 0;
        return new RestoredTableTruth(tableName, region, restore.SourceTableName, restore.RestoreDateTime, table.TableStatus == Amazon.DynamoDBv2.TableStatus.ACTIVE, items, 0, 0, items);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _sampling.Dispose();
    }

    private IEnumerable<(string From, string To)> Pairs() =>
        _canaryRegions.SelectMany(from => _canaryRegions.Where(to => to != from).Select(to => (from, to)));

    private EstateTruth Build(DateTimeOffset now)
    {
        lock (_gate)
        {
            var regions = _estate.Regions
                .Select(r => new RegionTruth(r.Code, _shares[r.Index], _weights[r.Index], _healthy[r.Index], _percentHealthy[r.Index],
                    CanariesActive && _writers.TryGetValue(r.Code, out var w) && w.Down, 0, TimeSpan.Zero))
                .ToList();
            var active = CanariesActive;
            var canaryRegions = _estate.Regions
                .Select(r => active && _writers.TryGetValue(r.Code, out var w)
                    ? new CanaryRegionTruth(r.Code, _canaryTable, w.Sequence, w.AckedAt, 0)
                    : new CanaryRegionTruth(r.Code, "", 0, null, 0))
                .ToList();
            var canaryPairs = active ? Pairs().Select(p => new CanaryPairTruth(p.From, p.To, _received.GetValueOrDefault(p))).ToList() : [];
            var lags = new List<PairTruth>();
            foreach (var pair in canaryPairs)
            {
                var source = _writers[pair.From];
                var lag = pair.LastReceivedSequence >= source.Sequence ? TimeSpan.Zero : source.AckOf(pair.LastReceivedSequence + 1) is { } oldest ? now - oldest : (TimeSpan?)null;
                if (lag is { } known)
                {
                    lags.Add(new PairTruth(pair.From, pair.To, Math.Max(0, known.TotalMilliseconds), source.Down));
                }
            }

            var tables = _estate.Tables
                .Select(t => new TableTruth(t.Name, 0, 0, null, [.. t.Replicas.Select(r => new ActiveTableTruth(r, _activeTables.GetValueOrDefault((t.Name, r), t.Name), 0))]))
                .ToList();
            return new EstateTruth(now, regions, lags, new WriteTotals(0, 0, 0, 0), new ClientTruth(0, 0, _successRatio ?? 0),
                new CanaryTruth(canaryRegions, canaryPairs), tables);
        }
    }

    private async Task WriteCanaryAsync(string region, CancellationToken cancellationToken)
    {
        var writer = _writers[region];
        try
        {
            if (!writer.Initialized)
            {
                writer.Sequence = Math.Max(writer.Sequence, await ReadSequenceAsync(region, region, cancellationToken) ?? 0);
                writer.Initialized = true;
            }

            var sequence = writer.Sequence + 1;
            var request = new PutItemRequest
            {
                TableName = _canaryTable,
                Item = new Dictionary<string, AttributeValue>
                {
                    [_clients.Options.Canaries.KeyAttribute] = new() { S = CanaryKeyPrefix + region },
                    ["seq"] = new() { N = sequence.ToString(CultureInfo.InvariantCulture) },
                    ["at"] = new() { S = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) },
                },
            };
            await _clients.WriteAsync<IAmazonDynamoDB, PutItemRequest, PutItemResponse>(
                AwsService.DynamoDb, region, "dynamodb:PutItem", request, PutItemRequestMarshaller.Instance,
                (client, r, token) => client.PutItemAsync(r, token), cancellationToken, AwsCallProfile.Probe);
            writer.Acknowledged(sequence, _clock.GetUtcNow());
        }
        catch (EstateServiceException)
        {
            writer.Down = true;
        }
    }

    private async Task ReadCanaryAsync(string from, string to, CancellationToken cancellationToken)
    {
        try
        {
            var sequence = await ReadSequenceAsync(from, to, cancellationToken) ?? 0;
            lock (_gate)
            {
                _received[(from, to)] = sequence;
            }
        }
        catch (EstateServiceException)
        {
            // Keep the last value: the receiver did not answer, which says nothing about what it holds.
        }
    }

    /// <summary>The sequence of <paramref name="from"/>'s canary as <paramref name="to"/>'s replica holds it; null when it holds none.</summary>
    private async Task<long?> ReadSequenceAsync(string from, string to, CancellationToken cancellationToken)
    {
        var response = await _clients.ReadAsync<IAmazonDynamoDB, GetItemResponse>(
            AwsService.DynamoDb, to, "dynamodb:GetItem",
            (client, token) => client.GetItemAsync(new GetItemRequest
            {
                TableName = _canaryTable,
                Key = new Dictionary<string, AttributeValue> { [_clients.Options.Canaries.KeyAttribute] = new() { S = CanaryKeyPrefix + from } },
                ConsistentRead = true,
            }, token),
            cancellationToken,
            AwsCallProfile.Probe);
        return response.Item is { } item && item.TryGetValue("seq", out var seq) && long.TryParse(seq.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>Starts the refreshes that are due (none while one runs); a refresh that failed for a bug surfaces here.</summary>
    private Task StartRefreshes(DateTimeOffset now)
    {
        lock (_gate)
        {
            var options = _clients.Options.GroundTruth;
            if (Due(ref _refresh, ref _nextRefresh, options.RefreshInterval))
            {
                _refresh = RefreshAsync(_stopping.Token);
            }

            if (Due(ref _route53Refresh, ref _nextRoute53Refresh, options.Route53RefreshInterval))
            {
                _route53Refresh = RefreshRoute53Async(_stopping.Token);
            }

            return Task.WhenAll(_refresh ?? Task.CompletedTask, _route53Refresh ?? Task.CompletedTask);
        }

        bool Due(ref Task? running, ref DateTimeOffset next, TimeSpan interval)
        {
            if (running is { IsFaulted: true } failed)
            {
                running = null;
                ExceptionDispatchInfo.Throw(failed.Exception.InnerException ?? failed.Exception);
            }

            if (running is { IsCompleted: false } || now < next)
            {
                return false;
            }

            next = now + interval;
            return true;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var shares = _estate.Regions.Select(async r => (r.Index, Share: await Try(() => _traffic.SentShareAsync(r.Code, cancellationToken)))).ToList();
        var active = _estate.Tables
            .SelectMany(t => t.Replicas.Select(region => (t.Name, region)))
            .Select(async key => (Key: key, Table: await Try(() => _routing.GetActiveTableAsync(key.Name, key.region, cancellationToken))))
            .ToList();
        var success = Try(async () => await _success.SuccessRatioAsync(cancellationToken));
        await Task.WhenAll([.. shares, .. active, success]);
        lock (_gate)
        {
            foreach (var (index, share) in shares.Select(t => t.Result).Where(s => s.Share.Ok))
            {
                _shares[index] = share.Value;
            }

            foreach (var (key, table) in active.Select(t => t.Result).Where(a => a.Table.Ok))
            {
                _activeTables[key] = table.Value!;
            }

            if (success.Result is { Ok: true, Value: { } ratio })
            {
                _successRatio = ratio;
            }
        }
    }

    private async Task RefreshRoute53Async(CancellationToken cancellationToken)
    {
        var records = Try(() => _router.ListRecordsAsync(cancellationToken));
        var checks = _estate.Regions
            .Select(async r => (r.Index, Observations: await Try(() => _health.GetHealthCheckStatusAsync(_estate.HealthCheckFor(r.Code).Id, cancellationToken))))
            .ToList();
        await Task.WhenAll([records, .. checks]);
        lock (_gate)
        {
            if (records.Result is { Ok: true, Value: { } list })
            {
                foreach (var region in _estate.Regions)
                {
                    _weights[region.Index] = list.FirstOrDefault(r => r.Region == region.Code)?.Weight ?? 0;
                }
            }

            foreach (var (index, observations) in checks.Select(c => c.Result).Where(c => c.Observations is { Ok: true, Value.Count: > 0 }))
            {
                var share = (double)observations.Value!.Count(o => o.Success) / observations.Value!.Count;
                _percentHealthy[index] = share * 100;
                _healthy[index] = share > EstateTopology.Route53HealthyCheckerShare;
            }
        }
    }

    /// <summary>A port's answer, or not when the service failed (the last value is kept then).</summary>
    private static async Task<Read<T>> Try<T>(Func<Task<T>> read)
    {
        try
        {
            return new Read<T>(true, await read());
        }
        catch (EstateServiceException)
        {
            return new Read<T>(false, default);
        }
    }

    private readonly record struct Read<T>(bool Ok, T? Value);

    /// <summary>One region's canary writer: its newest acknowledged sequence and a bounded history of acknowledgements.</summary>
    private sealed class Writer
    {
        private readonly Queue<(long Sequence, DateTimeOffset At)> _acks = new();

        public long Sequence { get; set; }

        public DateTimeOffset? AckedAt { get; private set; }

        public bool Initialized { get; set; }

        public bool Down { get; set; }

        public void Acknowledged(long sequence, DateTimeOffset at)
        {
            (Sequence, AckedAt, Down) = (sequence, at, false);
            _acks.Enqueue((sequence, at));
            if (_acks.Count > AckHistory)
            {
                _acks.Dequeue();
            }
        }

        /// <summary>
        /// When <paramref name="sequence"/> was acknowledged, or the first remembered after it (older ones are forgotten,
        /// and a restarted console did not see them): a lower bound of its age. Null when none is remembered.
        /// </summary>
        public DateTimeOffset? AckOf(long sequence)
        {
            foreach (var (s, at) in _acks)
            {
                if (s >= sequence)
                {
                    return at;
                }
            }

            return null;
        }
    }
}
