using System.Globalization;
using System.Text;
using AWorld.Aws;
using AWorld.Bench.Live;
using AWorld.Core.Engine;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using AWorld.Twin.Serve;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Bench.Aws;

/// <summary>
/// The AWS adapters' time per poll: the twin served over AWS's wire protocols on loopback (in this process), and the
/// console's engine in AWS mode against it (real HTTP, SigV4 on every request, CloudWatch JSON, Route 53 XML,
/// DynamoDB), polling as the monitor does. Reports wall time per poll (median, p95, max) and the polling cost the
/// console states at start for the default estate.
/// </summary>
internal static class AwsPollBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var polls = args.Int("polls", 120, 10, 10_000);
        await using var twin = await TwinServer.StartAsync(new ConfigurationBuilder().Build(), 0, verbose: false, CancellationToken.None);
        var settings = twin.Settings().ToJsonString();
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(settings))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IOperationStore, MemoryOperationStore>();
        services.AddSingleton<IAuditStore, MemoryAuditStore>();
        services.AddAWorldCore(configuration).AddAwsEstate(configuration);
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<EstateMonitor>();
        var cost = provider.GetRequiredService<AwsPollingCost>();

        await monitor.PollAsync(); // warm: connections, JIT
        var times = new List<double>(polls);
        var clock = TimeProvider.System;
        for (var i = 0; i < polls; i++)
        {
            var started = clock.GetTimestamp();
            var snapshot = await monitor.PollAsync();
            times.Add(clock.GetElapsedTime(started).TotalMilliseconds);
            if (i == polls - 1)
            {
                Console.WriteLine($"last snapshot: {string.Join(", ", snapshot.Regions.Select(r => $"{r.Code} {r.Health}"))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"aws-poll: {polls} polls of {monitor.Series.Length} series through the AWS adapters against the served twin on loopback: median {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, max {times[^1]:0.0} ms per poll"));
        Console.WriteLine(cost.Describe());
        return 0;
    }
}
