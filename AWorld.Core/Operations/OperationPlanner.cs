using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AWorld.Core.Estate;
using AWorld.Core.Telemetry;

namespace AWorld.Core.Operations;

/// <summary>
/// A plan, or why there cannot be one: <see cref="FailureKind.Invalid"/> when the request names something the estate
/// does not have, <see cref="FailureKind.Refused"/> when the estate as it stands leaves nothing to do.
/// </summary>
public sealed record PlanOutcome(OperationPlan? Plan, Failure? Failure);

/// <summary>
/// Turns a request into the exact steps and calls it will make, the RTO the current configuration predicts and the
/// data at risk right now. Pure: the same inputs give the same plan and hash.
/// </summary>
public static class OperationPlanner
{
    public static PlanOutcome Plan(OperationRequest request, EstateTopology estate, IReadOnlyList<TrafficRecord> records, EstateSnapshot? snapshot, OperationsOptions options, DateTimeOffset now)
    {
        if (!estate.TryGetRegion(request.From, out var from))
        {
            return Invalid($"'from' is '{request.From}', which is not a region of the estate ({string.Join(", ", estate.Regions.Select(r => r.Code))}).");
        }

        if (request.To is { } to && (!estate.TryGetRegion(to, out _) || to == request.From))
        {
            return Invalid($"'to' is '{to}'; give another region of the estate, or leave it out.");
        }

        return request.Kind switch
        {
            OperationKind.Restore => PlanRestore(request, estate, snapshot, now),
            OperationKind.Cutover => PlanCutover(request, estate),
            _ => PlanTraffic(request, from, estate, records, snapshot, options),
        };
    }

    private static PlanOutcome PlanTraffic(OperationRequest request, Region from, EstateTopology estate, IReadOnlyList<TrafficRecord> records, EstateSnapshot? snapshot, OperationsOptions options)
    {
        if (estate.Dns.RoutingPolicy != DnsRoutingPolicy.Weighted)
        {
            return Refused("The API's records use failover routing, which follows the health checks by itself; traffic moves by weight only with weighted records.");
        }

        var current = records.ToImmutableDictionary(r => r.Region, r => r.Weight);
        var target = current.ToBuilder();
        if (request.Kind == OperationKind.Failover)
        {
            if (current.GetValueOrDefault(from.Code) == 0)
            {
                return Refused($"{from.Code} already has weight 0: it takes no traffic to fail over from.");
            }

            target[from.Code] = 0;
            if (request.To is { } to)
            {
                target[to] = Math.Max(target.GetValueOrDefault(to), current.GetValueOrDefault(from.Code));
            }
            else if (!target.Any(kv => kv.Value > 0))
            {
                // Nothing else takes traffic: bring in the healthiest backup region.
                var backup = estate.Regions
                    .Where(r => r.Code != from.Code && current.ContainsKey(r.Code))
                    .OrderBy(r => snapshot?.Region(r.Code)?.Health ?? HealthStatus.Unknown)
                    .FirstOrDefault();
                if (backup is null)
                {
                    return Refused($"There is no other region with a record to take {from.Code}'s traffic.");
                }

                target[backup.Code] = current.GetValueOrDefault(from.Code);
            }
        }
        else
        {
            // Failback: the configured weights, which give the region its traffic back and the helpers theirs.
            foreach (var record in estate.Dns.Records)
            {
                target[record.Region] = record.Weight;
            }

            if (target.ToImmutable().OrderBy(k => k.Key).SequenceEqual(current.OrderBy(k => k.Key)))
            {
                return Refused($"Traffic is already as configured; there is nothing to fail back to {from.Code}.");
            }
        }

        var weights = target.ToImmutable();
        var changes = string.Join(", ", weights.Where(kv => current.GetValueOrDefault(kv.Key) != kv.Value).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key} {current.GetValueOrDefault(kv.Key)}→{kv.Value}"));
        var verify = request.Kind == OperationKind.Failover
            ? $"cloudwatch:GetMetricData AWS/ApiGateway Count until {from.Code} serves at most {options.DrainedShare * 100:0.#}% of requests"
            : $"cloudwatch:GetMetricData AWS/ApiGateway Count until {from.Code} serves requests again";
        ImmutableArray<PlanStep> steps =
        [
            new(0, StepAction.ChangeWeights, "Change the record weights", $"route53:ChangeResourceRecordSets {estate.Dns.Name} weights {changes}"),
            new(1, StepAction.AwaitDnsInSync, "Wait until every Route 53 name server has the change", "route53:GetChange (the change of step 1) until INSYNC"),
            new(2, StepAction.VerifyTrafficMoved, request.Kind == OperationKind.Failover ? "Verify traffic left the region" : "Verify traffic returned", verify),
        ];

        var check = estate.HealthCheckFor(from.Code);
        var rto = new RtoPrediction(
            TimeSpan.FromSeconds(check.RequestIntervalSeconds * (check.FailureThreshold + 1)),
            options.DnsPropagation,
            TimeSpan.FromSeconds(estate.Dns.TtlSeconds),
            options.ResolverLag);
        var region = snapshot?.Region(from.Code);
        var hash = Hash(request.Kind, from.Code, request.To, weights, steps, null, null, null);
        return new PlanOutcome(
            new OperationPlan(request.Kind, from.Code, request.To, steps, weights, current, rto, region?.EstimatedUnreplicatedWrites ?? 0,
                region?.OldestUnreplicatedAge ?? TimeSpan.Zero, null, null, null, hash),
            null);
    }

    private static PlanOutcome PlanRestore(OperationRequest request, EstateTopology estate, EstateSnapshot? snapshot, DateTimeOffset now)
    {
        var table = estate.Tables.FirstOrDefault(t => t.Name == request.Table);
        if (table is null || !table.Replicas.Contains(request.From))
        {
            return Invalid($"'table' is '{request.Table}'; give a global table with a replica in {request.From} ({string.Join(", ", estate.Tables.Where(t => t.Replicas.Contains(request.From)).Select(t => t.Name))}).");
        }

        var window = snapshot?.Pitr.FirstOrDefault(p => p.Table == table.Name && p.Region == request.From);
        var pointInTime = request.PointInTime ?? window?.LatestRestorable ?? now - TimeSpan.FromMinutes(5);
        pointInTime = new DateTimeOffset(pointInTime.UtcTicks - (pointInTime.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var target = $"{table.Name}-restored-{pointInTime.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
        ImmutableArray<PlanStep> steps =
        [
            new(0, StepAction.StartRestore, "Restore into a new table", $"dynamodb:RestoreTableToPointInTime {table.Name} → {target} at {pointInTime:O} in {request.From}"),
            new(1, StepAction.VerifyRestore, "Verify the restored table", $"dynamodb:DescribeTable {target} in {request.From} until ACTIVE with RestoreDateTime {pointInTime:O}"),
        ];
        var hash = Hash(OperationKind.Restore, request.From, null, ImmutableDictionary<string, int>.Empty, steps, table.Name, target, pointInTime);
        var none = new RtoPrediction(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        return new PlanOutcome(
            new OperationPlan(OperationKind.Restore, request.From, null, steps, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<string, int>.Empty, none, 0, TimeSpan.Zero, table.Name, target, pointInTime, hash),
            null);
    }

    private static PlanOutcome PlanCutover(OperationRequest request, EstateTopology estate)
    {
        var table = estate.Tables.FirstOrDefault(t => t.Name == request.Table);
        if (table is null || !table.Replicas.Contains(request.From))
        {
            return Invalid($"'table' is '{request.Table}'; give the global table whose replica in {request.From} the application should stop using.");
        }

        if (string.IsNullOrWhiteSpace(request.RestoredTable) || !request.RestoredTable.StartsWith(table.Name + "-restored-", StringComparison.Ordinal))
        {
            return Invalid($"'restoredTable' is '{request.RestoredTable}'; give the table a completed restore of {table.Name} created (named {table.Name}-restored-…).");
        }

        var target = request.RestoredTable;
        ImmutableArray<PlanStep> steps =
        [
            new(0, StepAction.VerifyRestore, "Verify the restored table", $"dynamodb:DescribeTable {target} in {request.From} until ACTIVE"),
            new(1, StepAction.SwitchTable, "Point the application at the restored table", $"appconfig:PutParameter /aworld/tables/{table.Name}/{request.From} = {target}"),
            new(2, StepAction.VerifyCutover, "Verify the application uses it", $"appconfig:GetParameter /aworld/tables/{table.Name}/{request.From} until it is {target}"),
        ];
        var hash = Hash(OperationKind.Cutover, request.From, null, ImmutableDictionary<string, int>.Empty, steps, table.Name, target, null);
        var none = new RtoPrediction(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        return new PlanOutcome(
            new OperationPlan(OperationKind.Cutover, request.From, null, steps, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<string, int>.Empty, none, 0, TimeSpan.Zero, table.Name, target, null, hash),
            null);
    }

    private static string Hash(OperationKind kind, string from, string? to, ImmutableDictionary<string, int> weights, ImmutableArray<PlanStep> steps, string? table, string? target, DateTimeOffset? pointInTime)
    {
        var text = new StringBuilder();
        text.Append(kind).Append('\n').Append(from).Append('\n').Append(to).Append('\n');
        foreach (var (region, weight) in weights.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(region).Append('=').Append(weight.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var step in steps)
        {
            text.Append(step.Action).Append(':').Append(step.Call).Append('\n');
        }

        text.Append(table).Append('\n').Append(target).Append('\n').Append(pointInTime?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static PlanOutcome Invalid(string message) => new(null, Failure.Invalid(message));

    private static PlanOutcome Refused(string message) => new(null, Failure.Refused(message));
}
