using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Cli.Watch;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace AWorld.Cli.Tests.Watch;

/// <summary>The snapshot survives the hub's JSON protocol as the server and aworld watch configure it.</summary>
public class SnapshotWireFormatTests
{
    [Fact]
    public void Snapshot_RoundTripsThroughTheHubProtocol_WithImmutableArraysTimeSpansAndEnumsAsStrings()
    {
        var sent = Snapshots.WithCentralDown();
        var protocol = Protocol();
        var wire = protocol.GetMessageBytes(new InvocationMessage(WatchCommand.SnapshotMethod, [sent]));
        var json = Encoding.UTF8.GetString(wire.Span);

        Assert.Contains("\"overall\":\"Degraded\"", json, StringComparison.Ordinal);
        Assert.Contains("\"dataAge\":\"00:01:35\"", json, StringComparison.Ordinal);

        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.True(protocol.TryParseMessage(ref buffer, new SnapshotBinder(), out var message));
        var invocation = Assert.IsType<InvocationMessage>(message);
        var received = Assert.IsType<EstateSnapshot>(Assert.Single(invocation.Arguments));

        Assert.Equal(3, received.Regions.Length);
        var central = received.Region("eu-central-1")!;
        Assert.Equal(HealthStatus.Unhealthy, central.Health);
        Assert.True(central.IsStale);
        Assert.Equal(TimeSpan.FromSeconds(95), central.DataAge);
        Assert.Null(central.OldestUnreplicatedAge);
        Assert.Equal(["reason one.", "reason two."], central.Reasons.ToArray());
        Assert.Equal(RegionRole.Backup, received.Region("eu-north-1")!.Role);
        Assert.Equal(TimeSpan.FromMinutes(20), Assert.Single(received.Faults).Spec.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), received.Objectives.Rpo);
        Assert.Equal(sent.At, received.At);

        // Everything else: the record holds arrays, so compare what it serialises to rather than the records.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        Assert.Equal(JsonSerializer.Serialize(sent, options), JsonSerializer.Serialize(received, options));
    }

    private static JsonHubProtocol Protocol()
    {
        var options = new JsonHubProtocolOptions();
        options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
        return new JsonHubProtocol(Options.Create(options));
    }

    private sealed class SnapshotBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(EstateSnapshot)];

        public Type GetReturnType(string invocationId) => throw new NotSupportedException();

        public Type GetStreamItemType(string streamId) => throw new NotSupportedException();
    }
}
