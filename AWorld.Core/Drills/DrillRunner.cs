using System.Collections.Immutable;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Evidence;
using AWorld.Core.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AWorld.Core.Drills;

/// <summary>A finished drill: the after-action report, the drill's audit entries (for the evidence pack), the raw measurements and the operations it caused.</summary>
public sealed record DrillOutcome(DrillReport Report, IReadOnlyList<AuditEntry> Audit, DrillMeasurements Measurements, IReadOnlyList<Operation> Operations);

/// <summary>
/// What a full-speed run may add: the ground truth of every step (tests and benchmarks read it), when the copy's clock
/// starts (the caller's present, so that the report is dated in its calendar; the estate's fixed default start when
/// null, which keeps runs reproducible), participants listed first (who asked for the run), and changes to the
/// copy's services before the engine is registered (a test's options).
/// </summary>
public sealed record DrillRunSettings(
    Action<EstateTruth>? OnSecond = null,
    DateTimeOffset? StartAt = null,
    ImmutableArray<DrillParticipant> Participants = default,
    Action<IServiceCollection>? Configure = null);

/// <summary>
/// Runs one drill at full speed on a fresh copy of the estate (a <see cref="HeadlessEstate"/>, built from the same
/// registration as the console), through the console's own pipeline: the same <see cref="EstateLoop"/>, the same
/// <see cref="DrillHost"/>, stepped one second of estate time at a time on a manual clock, as fast as the machine
/// allows. Under <see cref="ResponsePolicy.Automatic"/> the ladder acts alone (automatic failover on); under
/// <see cref="ResponsePolicy.Human"/> automatic failover is off and a <see cref="ScriptedResponder"/> plays the
/// operator and the approver. Operations and audit live in the copy's memory; the outcome carries them out.
/// </summary>
/// <remarks>Each run builds its own estate, so one runner can run drills concurrently.</remarks>
public sealed class DrillRunner(IConfiguration configuration, EstateTopology estate, IEstateSandbox? sandbox = null)
{
    /// <summary>Who runs headless drills, in the audit log.</summary>
    public static readonly Actor RunnerActor = new("aworld-drill", "System");

    /// <summary>Whether this estate can be copied for full-speed drills (the twin can; a real account cannot).</summary>
    public bool Available => sandbox is not null;

    public async Task<Outcome<DrillOutcome>> RunAsync(DrillPlan plan, DrillRunSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var errors = plan.Validate(estate);
        if (!errors.IsEmpty)
        {
            return Failure.Invalid(string.Join("; ", errors));
        }

        if (sandbox is null)
        {
            return Failure.Refused("Full-speed drills run on a fresh copy of the estate, and this estate cannot be copied (a real AWS account). Run the drill live, or use Estate:Provider=Simulation.");
        }

        settings ??= new DrillRunSettings();
        await using var world = HeadlessEstate.Create(configuration, sandbox, plan.Seed, settings.StartAt, services =>
        {
            services.PostConfigure<OperationsOptions>(o => o.AutoFailover = plan.Policy == ResponsePolicy.Automatic);
            settings.Configure?.Invoke(services);
        });

        var responder = plan.Policy == ResponsePolicy.Human
            ? new ScriptedResponder(ScriptedResponder.DefaultOperator, ScriptedResponder.DefaultApprover, plan.EffectiveThinkTime)
            : null;
        var participants = (settings.Participants.IsDefault ? [] : settings.Participants)
            .Add(new DrillParticipant(RunnerActor.Name, RunnerActor.Role, "ran the drill headless: injected the faults and measured"));
        var host = world.Services.GetRequiredService<DrillHost>();
        var started = await host.StartAsync(plan, new DrillStart(RunnerActor, participants, plan.EffectiveWarmup, responder, settings.OnSecond), cancellationToken);
        if (started.Value is not { } run)
        {
            return started.Failure!;
        }

        // Bounded: the host ends the drill at the latest when the observation time after the fault is over.
        var limit = (long)(plan.EffectiveWarmup + plan.EffectiveObserveFor).TotalSeconds + 1;
        for (long s = 0; s < limit && !run.Completion.IsCompleted; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await world.StepAsync(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return run.Completion.IsCompleted
            ? Outcome<DrillOutcome>.Ok(await run.Completion)
            : Failure.Conflict($"Drill {run.DrillId} did not end within {Formats.Duration(plan.EffectiveWarmup + plan.EffectiveObserveFor)} of estate time.");
    }
}
