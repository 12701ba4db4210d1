using System.Text.Json.Nodes;
using AWorld.Cli;
using AWorld.Twin.Serve.Tests.Shared;

namespace AWorld.Twin.Serve.Tests.EndToEnd;

/// <summary><c>aworld aws check</c> against the served twin: every read API once, through the console's own adapters.</summary>
public sealed class AwsCheckTests(FastTwin twin) : IClassFixture<FastTwin>
{
    [Fact]
    public async Task WithTheTwinsSettings_EveryCheckPasses_AndTheCostIsStated()
    {
        var (exit, stdout, stderr) = await RunAsync(twin.SettingsFile);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("ok      cloudwatch:GetMetricData", stdout, StringComparison.Ordinal);
        Assert.Contains("ok      route53:ListResourceRecordSets", stdout, StringComparison.Ordinal);
        Assert.Contains("ok      dynamodb:DescribeContinuousBackups", stdout, StringComparison.Ordinal);
        Assert.Contains("ok      kms:GetPublicKey", stdout, StringComparison.Ordinal);
        Assert.Contains("ok      fis:ListExperiments", stdout, StringComparison.Ordinal);
        Assert.Contains("ok      lambda:GetFunctionConcurrency", stdout, StringComparison.Ordinal);
        Assert.Contains("GetMetricData requests and", stdout, StringComparison.Ordinal);
        Assert.Matches(@"All \d+ checks passed\.", stdout);
    }

    [Fact]
    public async Task WithAnIdentityTheAccountDoesNotKnow_EachCheckSaysDenied_NamingTheIamAction()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(twin.SettingsFile))!;
        settings["Estate"]!["Aws"]!["AccessKeyId"] = "AKIDNOTTHETWINS0000";
        var file = Path.Combine(Path.GetTempPath(), $"aworld-check-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, settings.ToJsonString());
        try
        {
            var (exit, stdout, _) = await RunAsync(file);

            Assert.Equal(1, exit);
            Assert.Contains("Grant the IAM action cloudwatch:GetMetricData", stdout, StringComparison.Ordinal);
            Assert.Contains("Grant the IAM action route53:ListResourceRecordSets", stdout, StringComparison.Ordinal);
            Assert.Contains("Grant the IAM action dynamodb:DescribeTable", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task WithAMissingKey_ItSaysWhichKey_AndExits2()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(twin.SettingsFile))!;
        settings["Estate"]!["Dns"]!.AsObject().Remove("HostedZoneId");
        var file = Path.Combine(Path.GetTempPath(), $"aworld-check-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, settings.ToJsonString());
        try
        {
            var (exit, _, stderr) = await RunAsync(file);

            Assert.Equal(2, exit);
            Assert.Contains("Estate:Dns:HostedZoneId is empty", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string settings)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["aws", "check", "--settings", settings], stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
