using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AWorld.Core.Estate;

namespace AWorld.Core.Drills;

/// <summary>
/// What a drill rehearses and how it is judged. Null <see cref="Criteria"/> means the estate's objectives; given
/// criteria must be as strict or stricter (a drill never passes against a looser target than the estate promises).
/// Null <see cref="FaultDuration"/> takes the scenario's default. <see cref="Warmup"/> runs the estate before the
/// fault so that the monitor and the ladder know its usual behaviour; <see cref="ObserveFor"/> bounds how long after
/// the fault the drill waits for recovery. <see cref="BackgroundFaults"/> are injected at the start of the warm-up
/// (their <see cref="FaultSpec.Delay"/> counted from there), to rehearse compound situations such as an outage of a
/// region that was already cut off.
/// </summary>
public sealed record DrillPlan(
    DrillScenario Scenario,
    string TargetRegion,
    ResponsePolicy Policy = ResponsePolicy.Automatic,
    DrillCriteria? Criteria = null,
    long Seed = 1,
    TimeSpan? FaultDuration = null,
    TimeSpan? Warmup = null,
    TimeSpan? ObserveFor = null,
    ImmutableArray<DrillParticipant> Participants = default,
    ImmutableArray<FaultSpec> BackgroundFaults = default,
    TimeSpan? ThinkTime = null)
{
    /// <summary>Long enough for the anomaly detectors to learn every series (750 points at one a second) before the fault.</summary>
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultObserveFor = TimeSpan.FromHours(2);
    public static readonly TimeSpan DefaultThinkTime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxObserveFor = TimeSpan.FromDays(1);

    public DrillScenarioDefinition Definition => DrillScenarios.Get(Scenario);

    public TimeSpan EffectiveFaultDuration => FaultDuration ?? Definition.DefaultDuration;

    public TimeSpan EffectiveWarmup => Warmup ?? DefaultWarmup;

    public TimeSpan EffectiveObserveFor => ObserveFor ?? DefaultObserveFor;

    public TimeSpan EffectiveThinkTime => ThinkTime ?? DefaultThinkTime;

    public DrillCriteria EffectiveCriteria(EstateTopology estate) => Criteria ?? new DrillCriteria(estate.Objectives.Rto, estate.Objectives.Rpo);

    /// <summary>Every problem with the plan against the estate, each naming the field and the fix; empty when valid.</summary>
    public ImmutableArray<string> Validate(EstateTopology estate)
    {
        var errors = ImmutableArray.CreateBuilder<string>();
        if (!Enum.IsDefined(Scenario))
        {
            errors.Add($"scenario '{Scenario}' is unknown; use one of {string.Join(", ", DrillScenarios.All.Select(d => d.Name))}");
        }

        if (!estate.TryGetRegion(TargetRegion ?? "", out _))
        {
            errors.Add($"target region '{TargetRegion}' is not in the estate; use one of {string.Join(", ", estate.Regions.Select(r => r.Code))}");
        }
        else if (Scenario == DrillScenario.NetworkPartition && estate.Regions.Length < 2)
        {
            errors.Add("a network partition needs a second region in the estate");
        }

        if (!Enum.IsDefined(Policy))
        {
            errors.Add($"policy '{Policy}' is unknown; use Automatic or Human");
        }
        else if (Enum.IsDefined(Scenario) && Definition.NeedsPeople && Policy == ResponsePolicy.Automatic)
        {
            errors.Add($"{Definition.Name} needs people: the countermeasure ladder never restores tables; use policy Human");
        }

        if (Criteria is { } c)
        {
            if (c.MaxRto <= TimeSpan.Zero || c.MaxRpo < TimeSpan.Zero)
            {
                errors.Add($"criteria RTO {c.MaxRto} must be positive and RPO {c.MaxRpo} not negative");
            }

            if (c.MaxRto > estate.Objectives.Rto)
            {
                errors.Add($"criteria RTO {c.MaxRto} is looser than the estate's target {estate.Objectives.Rto}; give at most the target (stricter or equal)");
            }

            if (c.MaxRpo > estate.Objectives.Rpo)
            {
                errors.Add($"criteria RPO {c.MaxRpo} is looser than the estate's target {estate.Objectives.Rpo}; give at most the target (stricter or equal)");
            }
        }

        if (FaultDuration is { } d && (d <= TimeSpan.Zero || d > MaxObserveFor))
        {
            errors.Add($"fault duration {d} must be above zero and at most {MaxObserveFor}");
        }

        if (Warmup is { } w && (w < TimeSpan.FromMinutes(1) || w > TimeSpan.FromHours(6)))
        {
            errors.Add($"warm-up {w} must be between 00:01:00 (the monitor needs history) and 06:00:00");
        }

        if (ObserveFor is { } o && (o < TimeSpan.FromMinutes(2) || o > MaxObserveFor))
        {
            errors.Add($"observe-for {o} must be between 00:02:00 (recovery needs 60 s of success to be seen) and {MaxObserveFor}");
        }

        if (ThinkTime is { } t && (t < TimeSpan.Zero || t > TimeSpan.FromHours(1)))
        {
            errors.Add($"think time {t} must be between 00:00:00 and 01:00:00");
        }

        if (!Participants.IsDefault && Participants.Any(p => string.IsNullOrWhiteSpace(p.Name) || string.IsNullOrWhiteSpace(p.Role)))
        {
            errors.Add("every participant needs a name and a role");
        }

        if (!BackgroundFaults.IsDefault)
        {
            foreach (var fault in BackgroundFaults)
            {
                if (fault.Validate(estate) is { } problem)
                {
                    errors.Add($"background fault {fault.Kind.ToString().ToLowerInvariant()}: {problem}");
                }
            }
        }

        return errors.ToImmutable();
    }

    /// <summary>
    /// A version of what was rehearsed and against what: a hash of the scenario, target, policy, criteria, faults,
    /// timings, seed and the estate's shape (regions, tables, DNS, health checks, objectives). Two drills with the
    /// same version ran the same plan.
    /// </summary>
    public string Version(EstateTopology estate)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var criteria = EffectiveCriteria(estate);
        text.Append("drill-plan.v1\n")
            .Append(Scenario).Append('\n').Append(TargetRegion).Append('\n').Append(Policy).Append('\n')
            .Append(criteria.MaxRto.Ticks.ToString(inv)).Append('/').Append(criteria.MaxRpo.Ticks.ToString(inv)).Append('\n')
            .Append(Seed.ToString(inv)).Append('\n')
            .Append(EffectiveFaultDuration.Ticks.ToString(inv)).Append('/').Append(EffectiveWarmup.Ticks.ToString(inv)).Append('/')
            .Append(EffectiveObserveFor.Ticks.ToString(inv)).Append('/').Append(EffectiveThinkTime.Ticks.ToString(inv)).Append('\n');
        foreach (var fault in Definition.Faults(estate, TargetRegion, EffectiveFaultDuration).AddRange(BackgroundFaults.IsDefault ? [] : BackgroundFaults))
        {
            text.Append(fault.Kind).Append(' ').Append(fault.Region).Append(' ').Append(fault.PeerRegion).Append(' ')
                .Append(fault.EffectiveMagnitude.ToString("R", inv)).Append(' ').Append(fault.Duration?.Ticks.ToString(inv)).Append(' ')
                .Append(fault.Delay.Ticks.ToString(inv)).Append(' ').Append(fault.Client).Append('\n');
        }

        foreach (var region in estate.Regions)
        {
            text.Append(region.Code).Append(' ').Append(region.Role).Append('\n');
        }

        foreach (var table in estate.Tables)
        {
            text.Append(table.Name).Append(' ').Append(string.Join(",", table.Replicas)).Append(' ').Append(table.SizeGb.ToString("R", inv)).Append('\n');
        }

        foreach (var check in estate.HealthChecks)
        {
            text.Append(check.Region).Append(' ').Append(check.RequestIntervalSeconds.ToString(inv)).Append(' ').Append(check.FailureThreshold.ToString(inv)).Append('\n');
        }

        text.Append(estate.Dns.Name).Append(' ').Append(estate.Dns.TtlSeconds.ToString(inv)).Append(' ').Append(estate.Dns.RoutingPolicy).Append('\n')
            .Append(estate.Objectives.Rto.Ticks.ToString(inv)).Append('/').Append(estate.Objectives.Rpo.Ticks.ToString(inv));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return $"v1-{hash[..16]}";
    }
}
