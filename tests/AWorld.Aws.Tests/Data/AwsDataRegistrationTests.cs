using AWorld.Aws.Data;
using AWorld.Aws.Telemetry;
using AWorld.Aws.Tests.Shared;
using AWorld.Core.Drills;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Tests.Data;

public sealed class AwsDataRegistrationTests
{
    [Fact]
    public void TheEstate_GetsTheDataAdaptersBehindTheEnginesPorts()
    {
        using var provider = Build(new() { ["Estate:Aws:Canaries:Enabled"] = "true" });

        Assert.IsType<DynamoDbTableAdmin>(provider.GetRequiredService<IGlobalTableAdmin>());
        Assert.IsType<SsmTableRouting>(provider.GetRequiredService<ITableRouting>());
        Assert.IsType<CloudWatchClientSuccess>(provider.GetRequiredService<IClientSuccessSource>());
        Assert.IsType<AwsGroundTruth>(provider.GetRequiredService<IGroundTruth>());
        Assert.True(provider.GetRequiredService<IOptions<AwsOptions>>().Value.Canaries.Enabled);
    }

    [Fact]
    public void WithoutAKmsKey_NoSignerIsRegistered_SoTheConsoleKeepsItsLocalKeyFile()
    {
        using var provider = Build([]);

        Assert.Null(provider.GetService<IEvidenceSigner>());
    }

    [Fact]
    public void WithAKmsKey_EvidenceIsSignedByKms_InTheConfiguredRegion()
    {
        using var provider = Build(new() { ["Estate:Aws:KmsKeyId"] = "alias/aworld-evidence", ["Estate:Aws:KmsRegion"] = "eu-central-1" });

        var signer = Assert.IsType<KmsEvidenceSigner>(provider.GetRequiredService<IEvidenceSigner>());
        Assert.Equal(("alias/aworld-evidence", "eu-central-1"), (signer.KmsKeyId, signer.KmsRegion));
    }

    [Fact]
    public void BadDataOptions_StopStartUp_WithEveryProblemNamed()
    {
        using var provider = Build(new()
        {
            ["Estate:Aws:TableRoutingParameter"] = "/aworld/active-table",
            ["Estate:Aws:Canaries:Enabled"] = "true",
            ["Estate:Aws:Canaries:KeyAttribute"] = "",
            ["Estate:Aws:ClientSuccessFullScale"] = "0",
            ["Estate:Aws:GroundTruth:Route53RefreshInterval"] = "00:00:01",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Estate:Aws:TableRoutingParameter", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Estate:Aws:Canaries:KeyAttribute", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Estate:Aws:ClientSuccessFullScale", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Estate:Aws:GroundTruth:Route53RefreshInterval", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        // What the engine and the telemetry adapters register: the topology, the traffic and health ports, CloudWatch.
        var ports = new FakePorts();
        services.AddSingleton(EstateTopology.Default);
        services.AddSingleton<ITrafficObserver>(ports);
        services.AddSingleton<ITrafficRouter>(ports);
        services.AddSingleton<IHealthSource>(ports);
        services.AddSingleton<ICloudWatchMetrics>(new FakeCloudWatchMetrics());
        services.AddAwsEstate(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
