using System.Collections.Concurrent;
using AWorld.Aws.Http;
using AWorld.Core.Estate;
using Microsoft.Extensions.Options;

namespace AWorld.Aws.Countermeasures;

/// <summary>
/// Faults as AWS FIS experiments (<see cref="AwsFisOptions"/>). A <see cref="FaultSpec"/> starts the experiment template
/// configured for its kind and region (<c>Estate:Aws:Fis:Templates:&lt;kind&gt;:&lt;region&gt;</c>), tagged with who
/// injected it and the spec (<see cref="InjectedByTag"/>, <see cref="FaultTag"/>...). The spec's
/// <see cref="FaultSpec.Duration"/> and <see cref="FaultSpec.Magnitude"/> are not sent: the template's actions, targets
/// and durations are the fault, and its peer for a partition; a spec with a start offset (<see cref="FaultSpec.Delay"/>)
/// is refused, since FIS starts an experiment when asked (put a wait into the template instead). The fault's id is the
/// experiment's, its start and end the experiment's; clearing it stops the experiment. The list and the history are
/// the experiments of the configured templates in their regions (ListExperiments), started here or elsewhere.
/// Off unless <see cref="AwsFisOptions.Enabled"/>: then injecting and clearing are refused with
/// <see cref="CountermeasureErrors.FisDisabled"/>, and the list and the history are empty.
/// </summary>
/// <remarks>
/// Thread-safe. The experiments are read at most once per <see cref="AwsFisOptions.RefreshInterval"/> (the estate loop
/// asks every poll) and again after a start or a stop; an ended experiment's details are read once. Listing never
/// fails: a region whose FIS does not answer keeps the faults last read there until it answers again.
/// </remarks>
public sealed class FisFaultInjector : IFaultInjector
{
    public const string InjectedByTag = "aworld:injected-by";
    public const string FaultTag = "aworld:fault";
    public const string RegionTag = "aworld:region";
    public const string PeerRegionTag = "aworld:peer-region";
    public const string ClientTag = "aworld:client";

    private const int MaxTagValue = 256;
    private static readonly string Fis = AwsServices.DisplayName(AwsService.Fis);

    private readonly FisClient _fis;
    private readonly EstateTopology _estate;
    private readonly AwsFisOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<(FaultKind Kind, string Region), string> _templates = [];
    private readonly Dictionary<string, (FaultKind Kind, string Region)> _kindOfTemplate = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FisExperiment> _details = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _regionOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ActiveFault>> _lastGood = new(StringComparer.Ordinal);
    private volatile Reading? _last;

    public FisFaultInjector(FisClient fis, EstateTopology estate, IOptions<AwsOptions> options, TimeProvider time)
    {
        _fis = fis;
        _estate = estate;
        _options = options.Value.Fis;
        _time = time;
        foreach (var (kindName, byRegion) in _options.Templates)
        {
            if (!FaultSpecParser.TryKind(kindName, out var kind))
            {
                continue;
            }

            foreach (var (region, templateId) in byRegion)
            {
                _templates[(kind, region)] = templateId;
                _kindOfTemplate.TryAdd(templateId, (kind, region));
            }
        }
    }

    /// <summary>The configuration key of the template of a kind of fault in a region.</summary>
    public static string TemplateKey(FaultKind kind, string region) => $"{AwsOptions.SectionName}:Fis:Templates:{KindName(kind)}:{region}";

    /// <summary>Starts the experiment of the spec's kind and region.</summary>
    /// <exception cref="ArgumentException">The spec does not fit the estate.</exception>
    /// <exception cref="EstateServiceException">FIS is off, no template is configured, the spec has a start offset, or FIS refused.</exception>
    public async Task<ActiveFault> InjectAsync(FaultSpec spec, string? injectedBy, CancellationToken cancellationToken)
    {
        ThrowIfDisabled(spec.Region);
        var problem = spec.Validate(_estate);
        if (problem is not null)
        {
            throw new ArgumentException($"Cannot inject {KindName(spec.Kind)}: {problem}.", nameof(spec));
        }

        if (spec.Delay > TimeSpan.Zero)
        {
            throw new EstateServiceException(Fis, spec.Region, CountermeasureErrors.Refused,
                $"FIS starts an experiment when asked and cannot schedule one {spec.Delay} later. Inject the fault when it is due, or put an aws:fis:wait action at the start of the template {TemplateKey(spec.Kind, spec.Region)}.");
        }

        if (!_templates.TryGetValue((spec.Kind, spec.Region), out var templateId))
        {
            throw new EstateServiceException(Fis, spec.Region, CountermeasureErrors.NoTemplate,
                $"no FIS experiment template is configured for {KindName(spec.Kind)} in {spec.Region}. Set {TemplateKey(spec.Kind, spec.Region)} to the id of a template (EXT...) in {spec.Region}.");
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [InjectedByTag] = Truncate(injectedBy ?? "aworld-console"),
            [FaultTag] = KindName(spec.Kind),
            [RegionTag] = spec.Region,
        };
        if (spec.PeerRegion is { } peer)
        {
            tags[PeerRegionTag] = peer;
        }

        if (spec.Client is { } client)
        {
            tags[ClientTag] = Truncate(client);
        }

        // One token for every attempt of this start: a retried start after a timeout starts one experiment, not two.
        var experiment = await _fis.StartExperimentAsync(spec.Region, templateId, Guid.NewGuid().ToString("N"), tags, cancellationToken);
        _regionOf[experiment.Id] = spec.Region;
        Remember(experiment);
        _last = null;
        return ToFault(experiment, spec.Region, spec);
    }

    /// <summary>Stops the experiment; false when no experiment of the configured regions has that id or it has ended.</summary>
    /// <exception cref="EstateServiceException">FIS is off, or FIS refused.</exception>
    public async Task<bool> ClearAsync(string faultId, CancellationToken cancellationToken)
    {
        ThrowIfDisabled(_regionOf.GetValueOrDefault(faultId) ?? "");
        var (region, experiment) = await FindAsync(faultId, cancellationToken);
        if (region is null || experiment is null || experiment.IsOver)
        {
            return false;
        }

        Remember(await _fis.StopExperimentAsync(region, faultId, cancellationToken));
        _last = null;
        return true;
    }

    public async Task<IReadOnlyList<ActiveFault>> ListAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return [.. (await HistoryAsync(cancellationToken)).Where(f => f.EndsAt is null || f.EndsAt > now)];
    }

    public async Task<IReadOnlyList<ActiveFault>> HistoryAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        if (_last is { } fresh && now - fresh.At < _options.RefreshInterval)
        {
            return fresh.Faults;
        }

        // Two callers at once may both read: harmless, and the estate loop asks from one thread.
        var faults = new List<ActiveFault>();
        foreach (var region in _templates.Keys.Select(k => k.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            try
            {
                _lastGood[region] = await ReadRegionAsync(region, cancellationToken);
            }
            catch (EstateServiceException)
            {
                // The estate loop lists faults every poll: one region's FIS not answering (in that region's outage, say)
                // must not stop it. That region's faults stay as last read; the next reading tries again.
            }

            faults.AddRange(_lastGood.GetValueOrDefault(region) ?? []);
        }

        var history = faults.OrderBy(f => f.StartsAt).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        _last = new Reading(now, history);
        return history;
    }

    private async Task<List<ActiveFault>> ReadRegionAsync(string region, CancellationToken cancellationToken)
    {
        var faults = new List<ActiveFault>();
        foreach (var summary in await _fis.ListExperimentsAsync(region, cancellationToken))
        {
            // A template belongs to one region: its experiments are listed there.
            if (summary.ExperimentTemplateId is { } template && _kindOfTemplate.TryGetValue(template, out var configured) && configured.Region == region)
            {
                _regionOf[summary.Id] = region;
                faults.Add(ToFault(await DetailAsync(region, summary, cancellationToken), region));
            }
        }

        return faults;
    }

    /// <summary>A summary completed with the start and end only the experiment's details carry, each read once.</summary>
    private async Task<FisExperiment> DetailAsync(string region, FisExperiment summary, CancellationToken cancellationToken)
    {
        _details.TryGetValue(summary.Id, out var known);
        if (summary.IsOver)
        {
            return known is { IsOver: true } ? known : Remember(await _fis.GetExperimentAsync(region, summary.Id, cancellationToken));
        }

        if (known?.StartTime is { } started)
        {
            return summary with { StartTime = started };
        }

        return summary.Status is "running" or "stopping" ? Remember(await _fis.GetExperimentAsync(region, summary.Id, cancellationToken)) : summary;
    }

    private async Task<(string? Region, FisExperiment? Experiment)> FindAsync(string id, CancellationToken cancellationToken)
    {
        var regions = _regionOf.TryGetValue(id, out var known) ? [known] : _templates.Keys.Select(k => k.Region).Distinct(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            try
            {
                return (region, Remember(await _fis.GetExperimentAsync(region, id, cancellationToken)));
            }
            catch (EstateServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
            {
                // Not in this region.
            }
        }

        return (null, null);
    }

    private FisExperiment Remember(FisExperiment experiment)
    {
        if (experiment.StartTime is not null || experiment.IsOver)
        {
            _details[experiment.Id] = experiment;
        }

        return experiment;
    }

    /// <summary>
    /// The fault an experiment is: <paramref name="spec"/> when known, else the spec its tags describe, else (an
    /// experiment of a configured template started elsewhere) the kind and region of its template; the history holds
    /// only experiments of configured templates.
    /// </summary>
    private ActiveFault ToFault(FisExperiment experiment, string region, FaultSpec? spec = null)
    {
        var tags = experiment.Tags ?? new Dictionary<string, string>();
        spec ??= tags.TryGetValue(FaultTag, out var kindName) && FaultSpecParser.TryKind(kindName, out var kind)
            ? new FaultSpec(kind, tags.GetValueOrDefault(RegionTag) ?? region, tags.GetValueOrDefault(PeerRegionTag), Client: tags.GetValueOrDefault(ClientTag))
            : new FaultSpec(_kindOfTemplate[experiment.ExperimentTemplateId!].Kind, _kindOfTemplate[experiment.ExperimentTemplateId!].Region);
        var startsAt = experiment.StartTime ?? experiment.CreationTime ?? _time.GetUtcNow();
        DateTimeOffset? endsAt = experiment.IsOver ? experiment.EndTime ?? startsAt : null;
        return new ActiveFault(experiment.Id, spec, startsAt, endsAt, tags.GetValueOrDefault(InjectedByTag));
    }

    private void ThrowIfDisabled(string region)
    {
        if (!_options.Enabled)
        {
            throw new EstateServiceException(Fis, region, CountermeasureErrors.FisDisabled,
                $"{AwsOptions.SectionName}:Fis:Enabled is false, so no fault is injected into or cleared from the account. Set {AwsOptions.SectionName}:Fis:Enabled=true and a template per fault kind and region ({AwsOptions.SectionName}:Fis:Templates:<kind>:<region>) to run drills through AWS FIS.");
        }
    }

    private static string KindName(FaultKind kind) => kind == FaultKind.BadDeploy ? "bad-deploy" : kind.ToString().ToLowerInvariant();

    private static string Truncate(string value) => value.Length <= MaxTagValue ? value : value[..MaxTagValue];

    private sealed record Reading(DateTimeOffset At, IReadOnlyList<ActiveFault> Faults);
}
