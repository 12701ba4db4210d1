using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Bench.Live;

/// <summary>
/// N SignalR clients on the estate hub over WebSockets, in this process, against the console on loopback: the delay
/// from a snapshot's publication to each client receiving it (publish → receive), and whether every client got every
/// snapshot the hub pushed.
/// </summary>
internal static class HubFanout
{
    private const string HubPath = "/hubs/estate";
    private const string SnapshotMethod = "snapshot";
    private const int Attempts = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var count = args.Int("connections", 2000, 1, 20_000);
        var seconds = args.Int("seconds", 60, 5, 3600);
        var batch = args.Int("batch", 100, 1, 1000);
        var settle = args.Int("warmup", 5, 0, 600);
        var full = args.Flag("full-payload");

        // In process, each connection holds two sockets: the client's and Kestrel's.
        var needed = (2L * count) + 512;
        if (Machine.OpenFileLimit() is { } limit && limit < needed)
        {
            Console.Error.WriteLine($"hub-fanout: {count} connections need about {needed} file descriptors (2 per connection in process), but the open-file limit is {limit}.");
            Console.Error.WriteLine($"Raise it in the shell that runs the bench, e.g. `ulimit -n {Math.Max(needed, 8192)}` (the hard limit is `ulimit -Hn`), or pass a smaller --connections.");
            return 3;
        }

        var total = Stopwatch.StartNew();
        Console.WriteLine($"hub-fanout: {count} connections in batches of {batch}, settle {settle} s, measure {seconds} s, {(full ? "full EstateSnapshot" : "sequence-only")} deserialisation; open-file limit {Machine.OpenFileLimit()?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}; GC server={System.Runtime.GCSettings.IsServerGC}; load average {Machine.LoadAverage()}");
        using var console = await BenchConsole.StartAsync();
        var hubInterval = console.HubInterval;
        Console.WriteLine($"console at {console.BaseAddress}, hub interval {hubInterval.TotalMilliseconds} ms");

        var token = await TokenAsync(console.BaseAddress);
        var hub = new Uri(console.BaseAddress, HubPath);
        var clients = new List<Client>(count);
        var failures = new ConcurrentDictionary<string, int>();
        var connectTimes = new ConcurrentBag<double>();
        var retried = 0;
        var connecting = Stopwatch.StartNew();
        for (var start = 0; start < count; start += batch)
        {
            var results = await Task.WhenAll(Enumerable.Range(start, Math.Min(batch, count - start)).Select(async _ =>
            {
                for (var attempt = 1; attempt <= Attempts; attempt++)
                {
                    var client = new Client(hub, token, full);
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        using var timeout = new CancellationTokenSource(ConnectTimeout);
                        await client.Connection.StartAsync(timeout.Token);
                        connectTimes.Add(watch.Elapsed.TotalMilliseconds);
                        return client;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        failures.AddOrUpdate($"{ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
                        await client.DisposeAsync();
                        if (attempt < Attempts)
                        {
                            Interlocked.Increment(ref retried);
                            await Task.Delay(500 * attempt);
                        }
                    }
                }

                return null;
            }));
            clients.AddRange(results.OfType<Client>());
        }

        var connectDelays = new Delays(connectTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connected {clients.Count}/{count} in {connecting.Elapsed.TotalSeconds:0.0} s (connect {connectDelays.Summary()}); {retried} retries; open files {Machine.OpenFileCount()}; threads {ThreadPool.ThreadCount}"));

        console.Publications.SubscribeLast();
        await Task.Delay(TimeSpan.FromSeconds(settle));
        var closedBefore = clients.Sum(c => c.Closes);
        var cpuFrom = Machine.ReadCpu();
        var from = WallClock.NowMs();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var to = WallClock.NowMs();
        var cpuTo = Machine.ReadCpu();

        // Deliveries of the last snapshots published in the window are still on the way.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var published = console.Publications.Between(from, to);
        var samples = new List<double>();
        var pushed = new HashSet<long>();
        var duplicates = 0;
        var perClient = new List<HashSet<long>>(clients.Count);
        foreach (var client in clients)
        {
            var seen = new HashSet<long>();
            foreach (var (sequence, timestamp) in client.Received())
            {
                if (published.TryGetValue(sequence, out var publication))
                {
                    if (!seen.Add(sequence))
                    {
                        duplicates++;
                        continue;
                    }

                    pushed.Add(sequence);
                    samples.Add(Stopwatch.GetElapsedTime(publication.Timestamp, timestamp).TotalMilliseconds);
                }
            }

            perClient.Add(seen);
        }

        var expected = (long)clients.Count * pushed.Count;
        var incomplete = perClient.Count(s => s.Count < pushed.Count);
        var delays = new Delays(samples);
        var closedDuring = clients.Sum(c => c.Closes) - closedBefore;
        Console.WriteLine();
        Console.WriteLine("=== hub-fanout result ===");
        Console.WriteLine($"connections              {clients.Count} established of {count}; {failures.Values.Sum()} failed attempts, {retried} retries, {count - clients.Count} gave up; {closedDuring} closed during the window");
        Console.WriteLine($"window                   {seconds} s; {published.Count} snapshots published, {pushed.Count} pushed by the hub (seen by at least one client; at most one per {hubInterval.TotalMilliseconds} ms)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"messages                 received {delays.Count:N0} of expected {expected:N0} (connections × pushed) = {(expected == 0 ? 0 : 100.0 * delays.Count / expected):0.00}%; {incomplete} connections missed some; {duplicates} duplicates"));
        Console.WriteLine($"publish → receive delay  {delays.Summary()}");
        Console.WriteLine($"Publish() held up by     {new Delays(console.Publications.PublishSpans(from, to)).Summary()} (time Publish() spent notifying subscribers)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target p99 < 1000 ms     {(delays.Count > 0 && delays.Percentile(99) < 1000 ? "met" : "NOT met")}"));
        Console.WriteLine($"during the window        {Machine.CpuSummary(cpuFrom, cpuTo)}");
        Console.WriteLine($"process                  working set {Memory.Mb(Environment.WorkingSet)}, managed heap {Memory.Mb(GC.GetTotalMemory(false))}, open files {Machine.OpenFileCount()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total run                {total.Elapsed.TotalSeconds:0} s"));
        foreach (var (reason, times) in failures.OrderByDescending(f => f.Value).Take(5))
        {
            Console.WriteLine($"  failure ×{times}: {reason}");
        }

        // Close the clients before the server, in bounded batches.
        foreach (var chunk in clients.Chunk(200))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        return clients.Count == count && delays.Count > 0 ? 0 : 1;
    }

    private static async Task<string> TokenAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = "noc", password = BenchConsole.DemoPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("The token response has no access_token.");
    }

    /// <summary>Only the sequence: what the bench needs, without materialising the whole snapshot per client.</summary>
    private sealed record SnapshotHeader(long Sequence);

    private sealed class Client : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<(long Sequence, long Timestamp)> _received = [];
        private int _closes;

        public Client(Uri hub, string token, bool full)
        {
            Connection = new HubConnectionBuilder()
                .WithUrl(hub, HttpTransportType.WebSockets, o =>
                {
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                .Build();
            if (full)
            {
                Connection.On<EstateSnapshot>(SnapshotMethod, s => Record(s.Sequence));
            }
            else
            {
                Connection.On<SnapshotHeader>(SnapshotMethod, s => Record(s.Sequence));
            }

            Connection.Closed += _ =>
            {
                Interlocked.Increment(ref _closes);
                return Task.CompletedTask;
            };
        }

        public HubConnection Connection { get; }

        public int Closes => Volatile.Read(ref _closes);

        public (long Sequence, long Timestamp)[] Received()
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();

        private void Record(long sequence)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                _received.Add((sequence, now));
            }
        }
    }
}
