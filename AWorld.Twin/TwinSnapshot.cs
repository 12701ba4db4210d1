using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AWorld.Core.Estate;

namespace AWorld.Twin;

/// <summary>
/// Everything the twin needs to go on where it stopped: each component's state, its random streams, and the virtual
/// clock. Produced by <see cref="EstateTwin.Snapshot"/>, consumed by <see cref="EstateTwin.Restore"/>; written as JSON
/// by <see cref="Serialize"/>. The metric history is not part of it: after a restore CloudWatch starts empty again.
/// </summary>
/// <remarks>
/// A snapshot fits one estate: <see cref="Fingerprint"/> names its topology and the options that shape the state
/// (client count, sticky resolvers), and <see cref="Seed"/> its seed. Large per-second arrays are packed (base64).
/// </remarks>
public sealed record TwinSnapshot
{
    /// <summary>The format this build writes and reads; a file of another version is not restored.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public int Version { get; init; } = CurrentVersion;

    public required string Fingerprint { get; init; }

    public required long Seed { get; init; }

    /// <summary>Virtual time of the twin's second 0.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Whole seconds simulated since <see cref="StartTime"/>.</summary>
    public required long Second { get; init; }

    /// <summary>Real (wall-clock) time of the save; set by whoever writes the file, used to catch up after a restart.</summary>
    public DateTimeOffset? SavedAt { get; init; }

    /// <summary>Virtual time up to which the twin had been simulated.</summary>
    [JsonIgnore]
    public DateTimeOffset Now => StartTime.AddSeconds(Second);

    public required EstateCoreState Core { get; init; }

    public required LoadState Load { get; init; }

    public required DnsState Dns { get; init; }

    public required Route53State Route53 { get; init; }

    public required FaultState Faults { get; init; }

    public required ReplicationState Replication { get; init; }

    public required TablesState Tables { get; init; }

    public required RegionState[] Regions { get; init; }

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">The bytes are not a snapshot this build can read; the message says why.</exception>
    public static TwinSnapshot Deserialize(ReadOnlySpan<byte> json)
    {
        using (var document = ParseOrThrow(json))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException("it has no format version");
            }

            if (version.GetInt32() != CurrentVersion)
            {
                throw new InvalidDataException($"it is format version {version.GetInt32()}, this build reads version {CurrentVersion}");
            }
        }

        try
        {
            return JsonSerializer.Deserialize<TwinSnapshot>(json, Json) ?? throw new InvalidDataException("it is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"it is not a valid twin state ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Names the topology and the options that shape the twin's arrays (client count, sticky resolvers): a snapshot
    /// restores only into a twin with the same fingerprint.
    /// </summary>
    public static string FingerprintOf(EstateTopology estate, SimulationOptions options)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var r in estate.Regions)
        {
            text.Append(inv, $"region {r.Index} {r.Code}\n");
        }

        foreach (var t in estate.Tables)
        {
            text.Append(inv, $"table {t.Name} {string.Join(',', t.Replicas)} {t.PitrRecoveryPeriodDays} {t.SizeGb:R} {t.WriteShare:R}\n");
        }

        foreach (var h in estate.HealthChecks)
        {
            text.Append(inv, $"check {h.Id} {h.Region} {h.RequestIntervalSeconds} {h.FailureThreshold} {string.Join(',', h.CheckerLocations)}\n");
        }

        text.Append(inv, $"dns {estate.Dns.Name} {estate.Dns.TtlSeconds} {estate.Dns.RoutingPolicy}\n");
        foreach (var d in estate.Dns.Records)
        {
            text.Append(inv, $"record {d.Region} {d.FailoverRole} {d.HealthCheckId}\n");
        }

        text.Append(inv, $"clients {options.ClientCount} {options.StickyResolverShare:R} {options.StickyResolverTtlMultiple:R}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Why this snapshot cannot be restored into a twin of that estate, options and seed; null when it can.</summary>
    public string? MismatchWith(EstateTopology estate, SimulationOptions options)
    {
        if (Seed != options.Seed)
        {
            return $"it was made with Simulation:Seed {Seed}, the console now runs seed {options.Seed}";
        }

        return Fingerprint != FingerprintOf(estate, options)
            ? "it was made for another estate (its regions, tables, health checks, DNS records or Simulation:ClientCount/StickyResolver* differ)"
            : null;
    }

    private static JsonDocument ParseOrThrow(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"it is not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Ascending-ish integers as zig-zag varint deltas in base64 (a per-second counter takes two bytes a second).</summary>
    internal static string PackLongs(IReadOnlyList<long> values)
    {
        var bytes = new List<byte>(values.Count * 2);
        var previous = 0L;
        foreach (var v in values)
        {
            var delta = v - previous;
            previous = v;
            var zig = (ulong)((delta << 1) ^ (delta >> 63));
            while (zig >= 0x80)
            {
                bytes.Add((byte)(zig | 0x80));
                zig >>= 7;
            }

            bytes.Add((byte)zig);
        }

        return Convert.ToBase64String(bytes.ToArray());
    }

    internal static List<long> UnpackLongs(string packed)
    {
        var bytes = Convert.FromBase64String(packed);
        var values = new List<long>(bytes.Length / 2);
        var previous = 0L;
        var i = 0;
        while (i < bytes.Length)
        {
            ulong zig = 0;
            var shift = 0;
            byte b;
            do
            {
                if (i >= bytes.Length || shift > 63)
                {
                    throw new InvalidDataException("a packed number list is truncated");
                }

                b = bytes[i++];
                zig |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while (b >= 0x80);

            var delta = (long)(zig >> 1) ^ -(long)(zig & 1);
            previous += delta;
            values.Add(previous);
        }

        return values;
    }

    /// <summary>Doubles bit for bit (NaN included), little-endian, in base64.</summary>
    internal static string PackDoubles(IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * 8];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    internal static double[] UnpackDoubles(string packed)
    {
        var bytes = Convert.FromBase64String(packed);
        if (bytes.Length % 8 != 0)
        {
            throw new InvalidDataException("a packed list of doubles is truncated");
        }

        var values = new double[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
        }

        return values;
    }

    /// <summary>Throws when a restored array does not have the length the estate gives it.</summary>
    internal static T[] Expect<T>(T[]? values, int length, string what) =>
        values is not null && values.Length == length ? values : throw new InvalidDataException($"{what} has {values?.Length ?? 0} entries, the estate needs {length}");
}

/// <summary>A <see cref="SimRandom"/> stream's position.</summary>
public sealed record RandomState(ulong S0, ulong S1, ulong S2, ulong S3, double SpareGaussian);

/// <summary>The twin's own fields: client totals, region failures, deploys and table routing.</summary>
public sealed record EstateCoreState(
    double RequestsSent,
    double RequestsFailed,
    double LastSecondSuccess,
    bool[] Down,
    bool[] DeployedBad,
    long[] Writes,
    double[] LatencyP50,
    long[][][] CanariesAtFailure,
    ActiveTableState[] ActiveTables,
    CorruptAfterCutoverState[] CorruptAfterCutover);

public sealed record ActiveTableState(string Table, string Region, string Physical);

public sealed record CorruptAfterCutoverState(string Table, string Region, long Items);

public sealed record LoadState(double Noise, RandomState Random);

/// <summary>The record set, its pending changes (ids, INSYNC times) and every client's cached answer.</summary>
public sealed record DnsState(
    RandomState Random,
    int[] Weights,
    int[] Served,
    int[] Target,
    int[] Hold,
    int[][] Wheel,
    double[] Share,
    int[] ClientsIn,
    int NextChangeId,
    DnsChangeState[] Changes);

public sealed record DnsChangeState(string Id, ChangeStatus Status, DateTimeOffset SubmittedAt, string Comment, DateTimeOffset InSyncAt, int[] Regions, int[] Weights);

/// <summary>Each health check's checkers: their phase, view and last probe.</summary>
public sealed record Route53State(RandomState Random, bool[] Healthy, double[] PercentHealthy, CheckerState[][] Checkers);

public sealed record CheckerState(long NextProbe, bool Healthy, int ConsecutiveFailures, int ConsecutiveSuccesses, DateTimeOffset? LastChecked, bool LastSuccess, string LastReport);

/// <summary>Every fault injected, and their combined effect at the last step.</summary>
public sealed record FaultState(
    int NextId,
    ActiveFault[] All,
    bool[] Outage,
    bool[][] Partitioned,
    double[] LatencyMs,
    double[] ErrorRate,
    double[] StormMultiplier,
    string?[] StormClient,
    double[] FlapProbability,
    double[] CorruptShare);

/// <summary>The write streams, their channels' backlogs, canaries, and the per-second totals a PITR restore reads.</summary>
public sealed record ReplicationState(
    RandomState Random,
    long Acknowledged,
    long Replicated,
    long Lost,
    double[] FirstCorruptAckSeconds,
    double[][] PairLagMs,
    StreamState[] Streams,
    ChannelState[] Channels,
    string[] AckedBySecond,
    long[][] CorruptChanges);

/// <summary>A stream; its canaries are consecutive from <see cref="FirstCanary"/>, their places and times packed.</summary>
public sealed record StreamState(long LastSequence, long ReplicatedAnywhere, long CanarySequence, long CanariesLost, long FirstCanary, string CanaryStreamSequences, string CanaryAcks);

public sealed record ChannelState(long Delivered, long CanaryReceived, int NextCanary, double LagMs, BatchState[] Queue);

public sealed record BatchState(long FirstSequence, long Count, double AckSeconds, double DeliverAt);

/// <summary>PITR restores started so far: the tables they create, in progress or ready.</summary>
public sealed record TablesState(RestoreState[] Restores);

public sealed record RestoreState(string Table, string Region, string Source, DateTimeOffset PointInTime, DateTimeOffset CreatedAt, DateTimeOffset ReadyAt, long Items, long CorruptItems);

/// <summary>One region's services: noise, scale, client limits.</summary>
public sealed record RegionState(
    RandomState Random,
    double LatencyNoise,
    double TailNoise,
    double ReadNoise,
    double CpuNoise,
    double MemoryNoise,
    double LatencyP50Ms,
    double Scale,
    double LastSentRps,
    Dictionary<string, double> ClientLimits);
