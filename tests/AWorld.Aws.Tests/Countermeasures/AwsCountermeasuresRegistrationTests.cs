using AWorld.Aws.Countermeasures;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Estate;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Countermeasures;

/// <summary>AddAwsEstate's countermeasures: which ports it brings for which configuration, and the options it checks at start.</summary>
public sealed class AwsCountermeasuresRegistrationTests
{
    private static readonly Dictionary<string, string?> Throttling = new()
    {
        ["Estate:Aws:Throttling:eu-west-1:RestApiId"] = "a1b2c3",
        ["Estate:Aws:Throttling:eu-west-1:DefaultUsagePlanId"] = "plan1",
        ["Estate:Aws:Throttling:eu-west-1:RestrictedUsagePlanId"] = "plan2",
        ["Estate:Aws:Throttling:eu-west-1:Clients:0"] = "tenant-01",
        ["Estate:Aws:Throttling:eu-west-1:ClientRateMetric:Namespace"] = "AWorld/Clients",
        ["Estate:Aws:Throttling:eu-west-1:ClientRateMetric:MetricName"] = "Requests",
        ["Estate:Aws:Throttling:eu-west-1:ClientRateMetric:Dimensions:Client"] = "{client}",
        ["Estate:Aws:Throttling:eu-west-1:RefreshInterval"] = "00:00:30",
    };

    private static readonly Dictionary<string, string?> Scaling = new()
    {
        ["Estate:Aws:Scaling:eu-west-1:Functions:0"] = "aworld-api-handler",
        ["Estate:Aws:Scaling:eu-west-1:BaselineConcurrency"] = "50",
    };

    private static readonly Dictionary<string, string?> Fis = new()
    {
        ["Estate:Aws:Fis:Enabled"] = "true",
        ["Estate:Aws:Fis:Templates:bad-deploy:eu-west-1"] = "EXTbad1",
    };

    [Fact]
    public void WithoutThrottlingOrScaling_OnlyTheFaultInjectorIsRegistered()
    {
        using var services = Build([]);

        Assert.Null(services.GetService<IClientThrottler>());
        Assert.Null(services.GetService<IRegionScaler>());
        Assert.IsType<FisFaultInjector>(services.GetService<IFaultInjector>());
    }

    [Fact]
    public void WithThrottlingAndScaling_TheirAdaptersAreRegistered_WithTheirOptionsBound()
    {
        using var services = Build(Throttling.Concat(Scaling).Concat(Fis));

        Assert.IsType<UsagePlanThrottler>(services.GetService<IClientThrottler>());
        Assert.IsType<LambdaScaler>(services.GetService<IRegionScaler>());
        var options = services.GetRequiredService<IOptions<AwsOptions>>().Value;
        Assert.Equal(("Sum", TimeSpan.FromSeconds(30)), (options.Throttling["eu-west-1"].ClientRateMetric.Stat, options.Throttling["eu-west-1"].RefreshInterval));
        Assert.Equal(50, options.Scaling["eu-west-1"].BaselineConcurrency);
        Assert.Equal("EXTbad1", options.Fis.Templates["bad-deploy"]["eu-west-1"]);
    }

    [Fact]
    public void AFaultInjectorRegisteredFirst_IsKept()
    {
        var stub = new NoFaults();
        using var services = Build([], s => s.AddSingleton<IFaultInjector>(stub));

        Assert.Same(stub, services.GetService<IFaultInjector>());
    }

    [Fact]
    public void InvalidOptions_FailWithEveryProblemNamingItsKey()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Estate:Aws:Throttling:eu-west-1:DefaultUsagePlanId"] = "plan1",
            ["Estate:Aws:Fis:Enabled"] = "true",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("Estate:Aws:Throttling:eu-west-1:RestrictedUsagePlanId is empty.", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Estate:Aws:Throttling:eu-west-1:Clients is empty.", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Estate:Aws:Fis:Enabled is true but Estate:Aws:Fis:Templates is empty", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? first = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        first?.Invoke(services);
        // What the engine and the CloudWatch adapter bring in a host.
        services.AddSingleton(EstateTopology.Default);
        services.AddSingleton<ICloudWatchMetrics>(new ScriptedCloudWatchSeries());
        services.AddAwsEstate(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class NoFaults : IFaultInjector
    {
        public Task<ActiveFault> InjectAsync(FaultSpec spec, string? injectedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ClearAsync(string faultId, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<ActiveFault>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActiveFault>>([]);

        public Task<IReadOnlyList<ActiveFault>> HistoryAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActiveFault>>([]);
    }
}
