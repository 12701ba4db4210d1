using AWorld.Aws.Routing;
using AWorld.Aws.Telemetry;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AWorld.Aws.Tests.Telemetry;

public sealed class AwsTelemetryRegistrationTests
{
    [Fact]
    public void AddAwsEstate_PutsCloudWatchAndRoute53BehindTheTelemetryAndTrafficPorts()
    {
        using var provider = Build(new ServiceCollection());

        Assert.IsType<CloudWatchTelemetrySource>(provider.GetRequiredService<ITelemetrySource>());
        Assert.IsType<Route53HealthSource>(provider.GetRequiredService<IHealthSource>());
        Assert.IsType<Route53TrafficRouter>(provider.GetRequiredService<ITrafficRouter>());
        Assert.IsType<CloudWatchTrafficObserver>(provider.GetRequiredService<ITrafficObserver>());
        Assert.Same(provider.GetRequiredService<CloudWatchClient>(), provider.GetRequiredService<ICloudWatchMetrics>());
        Assert.NotNull(provider.GetRequiredService<Route53Client>());
    }

    [Fact]
    public void AddAwsEstate_KeepsAPortRegisteredBeforeIt()
    {
        var services = new ServiceCollection();
        var mine = new NoTelemetry();
        services.AddSingleton<ITelemetrySource>(mine);
        using var provider = Build(services);

        Assert.Same(mine, provider.GetRequiredService<ITelemetrySource>());
    }

    private static ServiceProvider Build(ServiceCollection services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Estate:Provider"] = "Aws",
            ["Estate:Aws:AccessKeyId"] = "AKIDEXAMPLE",
            ["Estate:Aws:SecretAccessKey"] = "secret",
            ["Estate:Dns:HostedZoneId"] = "Z0123456789ABCDEFGHIJ",
            ["Estate:Dns:Records:0:Region"] = "eu-west-1",
            ["Estate:Dns:Records:0:SetIdentifier"] = "west",
            ["Estate:Regions:0:Code"] = "eu-west-1",
            ["Estate:Regions:0:HealthCheckId"] = "abc",
        }).Build();
        services.AddSingleton(EstateTopology.Default);
        services.AddKeyedSingleton<TimeProvider>(EstateClock.Key, new FakeTimeProvider());
        services.AddAwsEstate(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class NoTelemetry : ITelemetrySource
    {
        public Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new GetMetricDataResponse([]));
    }
}
