using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;

namespace AWorld.Console.Drills;

/// <summary>What the Drills page and the API ask for: a scenario on a region, the response policy, where to run it.</summary>
public sealed record DrillRequest(string? Scenario, string? Region, string? Policy, string? Mode, long? Seed = null);

/// <summary>Where a drill runs: live on the console's own estate, or at full speed on a fresh copy of it.</summary>
public enum DrillMode
{
    Live,
    FullSpeed,
}

/// <summary>
/// The drill commands of the console, for the page, the API and the scheduler alike: each decides on the server who
/// may do it, checks the request, and acts. A live drill runs on the console's own estate through the
/// <see cref="DrillHost"/> (faults go in through the fault injector; the ladder and people respond as in any incident;
/// the <see cref="DrillRepository"/> stores it as it starts and ends). A full-speed drill runs through the
/// <see cref="DrillRunner"/> on a fresh copy of the estate and is stored when it ends. Sign-off writes the pack again.
/// </summary>
public sealed class DrillCommands(
    EstateTopology estate,
    DrillHost host,
    DrillRunner runner,
    DrillRepository repository,
    AuditLog audit,
    [FromKeyedServices(EstateClock.Key)] TimeProvider time)
{
    /// <summary>Checks a request and turns it into a plan and a mode, or says what is wrong with it.</summary>
    public Outcome<(DrillPlan Plan, DrillMode Mode)> Parse(DrillRequest request)
    {
        if (!DrillScenarios.TryParse(request.Scenario ?? "", out var scenario))
        {
            return Failure.Invalid($"scenario '{request.Scenario}' is unknown; use one of {string.Join(", ", DrillScenarios.All.Select(d => d.Name))}");
        }

        var policy = (request.Policy ?? "automatic").ToLowerInvariant() switch
        {
            "automatic" => ResponsePolicy.Automatic,
            "human" => ResponsePolicy.Human,
            _ => (ResponsePolicy?)null,
        };
        if (policy is null)
        {
            return Failure.Invalid($"policy '{request.Policy}' is unknown; use automatic or human");
        }

        DrillMode? mode = (request.Mode ?? "live").ToLowerInvariant() switch
        {
            "live" => DrillMode.Live,
            "full-speed" => DrillMode.FullSpeed,
            _ => null,
        };
        if (mode is null)
        {
            return Failure.Invalid($"mode '{request.Mode}' is unknown; use live (on the console's estate) or full-speed (a fresh copy of it, headless)");
        }

        var plan = new DrillPlan(scenario, request.Region ?? "", policy.Value, Seed: request.Seed ?? 1);
        var errors = plan.Validate(estate);
        return errors.IsEmpty ? Outcome<(DrillPlan, DrillMode)>.Ok((plan, mode.Value)) : Failure.Invalid(string.Join("; ", errors));
    }

    /// <summary>Starts a drill; returns its id. <paramref name="label"/> names how a full-speed run was asked for ("full-speed", "scheduled").</summary>
    public async Task<Outcome<string>> StartAsync(DrillRequest request, Actor actor, string? label = null, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.RunDrill))
        {
            return Failure.Forbidden($"Only an Operator or an Admin may run drills; you are {actor.Role}.");
        }

        var parsed = Parse(request);
        if (!parsed.Succeeded)
        {
            return parsed.Failure!;
        }

        var (plan, mode) = parsed.Value;

        if (mode == DrillMode.Live)
        {
            var started = await host.StartAsync(plan, new DrillStart(actor, [new DrillParticipant(actor.Name, actor.Role, "started the drill live on the console's estate")]), cancellationToken);
            return started.Value is { } run ? Outcome<string>.Ok(run.DrillId) : started.Failure!;
        }

        return await RunFullSpeedAsync(plan, actor, label ?? "full-speed", cancellationToken);
    }

    /// <summary>Signs a completed drill's report off (Approvers and Admins) and writes its pack again with the sign-off.</summary>
    public async Task<Outcome<string>> SignOffAsync(string drillId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.May(Permission.SignOffDrill))
        {
            return Failure.Forbidden($"Only an Approver or an Admin may sign a drill report off; you are {actor.Role}.");
        }

        var signed = await repository.SignOffAsync(drillId, actor.Name, actor.Role, cancellationToken);
        if (signed.Value is not { } report)
        {
            return signed.Failure!;
        }

        await audit.AppendAsync(actor.Name, actor.Role, "drill.sign-off", drillId, "signed off", report.Verdict, cancellationToken);
        host.HistoryChanged();
        return Outcome<string>.Ok(drillId);
    }

    private async Task<Outcome<string>> RunFullSpeedAsync(DrillPlan plan, Actor actor, string label, CancellationToken cancellationToken)
    {
        // Dated from now on the console's clock, so that its timeline and next drill date are in the console's calendar.
        var startedAt = time.GetUtcNow();
        var settings = new DrillRunSettings(StartAt: startedAt, Participants: [new DrillParticipant(actor.Name, actor.Role, $"started the drill ({label})")]);
        var result = await Task.Run(() => runner.RunAsync(plan, settings, cancellationToken), cancellationToken);
        if (result.Value is not { } outcome)
        {
            return result.Failure!;
        }

        var report = outcome.Report;
        await audit.AppendAsync(actor.Name, actor.Role, "drill.run", report.DrillId, report.Passed ? "passed" : "failed",
            $"{plan.Definition.Name} on {plan.TargetRegion}, {label}, seed {plan.Seed}: {report.Verdict}", cancellationToken);
        await repository.AddCompletedAsync(outcome, label, actor.Name, startedAt, time.GetUtcNow(), cancellationToken);
        host.HistoryChanged();
        return Outcome<string>.Ok(report.DrillId);
    }
}
