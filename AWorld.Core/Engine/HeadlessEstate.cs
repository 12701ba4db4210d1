using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Engine;

/// <summary>
/// An estate provider that can make fresh, isolated copies of its estate on a manual clock, for runs at full speed
/// (headless drills, <c>aworld simulate</c>, benchmarks). The twin can; a real AWS account cannot, so the AWS provider
/// registers none and full-speed drills are refused there.
/// </summary>
public interface IEstateSandbox
{
    /// <summary>
    /// Registers into <paramref name="services"/> a fresh copy of the estate: the adapters for every port, seeded with
    /// <paramref name="seed"/>, and a manual <see cref="VirtualClock"/> as both the plain and the estate clock, starting
    /// at <paramref name="start"/> (the provider's default start when null). Returns that clock.
    /// </summary>
    VirtualClock AddFreshEstate(IServiceCollection services, IConfiguration configuration, long seed, DateTimeOffset? start);
}

/// <summary>
/// A fresh estate and the whole engine around it, built from the same registration as the console
/// (<see cref="CoreServiceCollectionExtensions.AddAWorldCore"/> plus the provider's sandbox) with a manual clock and
/// in-memory operation and audit stores. <see cref="StepAsync"/> advances the clock and runs one step of the
/// <see cref="EstateLoop"/>, as fast as the machine allows. Dispose it to drop the estate.
/// </summary>
public sealed class HeadlessEstate : IAsyncDisposable
{
    private HeadlessEstate(ServiceProvider services, VirtualClock clock)
    {
        Services = services;
        Clock = clock;
        Loop = services.GetRequiredService<EstateLoop>();
    }

    /// <summary>The headless world's services: resolve the engines, stores and ports from here.</summary>
    public ServiceProvider Services { get; }

    public VirtualClock Clock { get; }

    public EstateLoop Loop { get; }

    /// <param name="configuration">The same configuration the console binds (estate, telemetry, operations, simulation…).</param>
    /// <param name="sandbox">The estate provider's sandbox.</param>
    /// <param name="seed">The copy's seed: one seed makes a run reproducible.</param>
    /// <param name="start">When the copy's clock starts; the provider's default when null.</param>
    /// <param name="configure">Changes before the engine is registered (a test's options, a swapped part).</param>
    public static HeadlessEstate Create(IConfiguration configuration, IEstateSandbox sandbox, long seed, DateTimeOffset? start = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        var clock = sandbox.AddFreshEstate(services, configuration, seed, start);
        services.AddSingleton<IOperationStore, MemoryOperationStore>();
        services.AddSingleton<IAuditStore, MemoryAuditStore>();
        configure?.Invoke(services);
        services.AddAWorldCore(configuration);
        return new HeadlessEstate(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), clock);
    }

    /// <summary>Moves the clock on by <paramref name="by"/> and runs one step of the loop.</summary>
    public Task<EstateSnapshot?> StepAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        Clock.Advance(by);
        return Loop.StepAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
