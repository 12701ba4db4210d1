using Microsoft.Extensions.Options;

namespace AWorld.Core.Operations;

/// <summary>
/// Checks the Operations section at start: every limit in its range, and the limits that only make sense together
/// (a throttle that reduces, a step that can outlast the DNS change it waits for, a restore timeout no shorter than a
/// step's). Every error names its key and what to set instead.
/// </summary>
public sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    private const string S = OperationsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        var errors = OptionsErrors.DataAnnotations(options, S).ToList();
        if (options.ThrottleToMultiple >= options.ThrottleAtMultiple)
        {
            errors.Add($"{S}:ThrottleToMultiple ({options.ThrottleToMultiple}) must be below {S}:ThrottleAtMultiple ({options.ThrottleAtMultiple}), or a throttled client would keep its rate. E.g. 2 and 10.");
        }

        if (options.StepTimeout <= options.DnsPropagation + options.ResolverLag)
        {
            errors.Add($"{S}:StepTimeout ({options.StepTimeout}) must be longer than {S}:DnsPropagation ({options.DnsPropagation}) + {S}:ResolverLag ({options.ResolverLag}), or every traffic move would time out while DNS settles. E.g. 00:20:00.");
        }

        if (options.RestoreTimeout < options.StepTimeout)
        {
            errors.Add($"{S}:RestoreTimeout ({options.RestoreTimeout}) is shorter than {S}:StepTimeout ({options.StepTimeout}); a restore gets at least a step's time. E.g. 06:00:00.");
        }

        if (options.MaxScale < options.ScaleOutStep)
        {
            errors.Add($"{S}:MaxScale ({options.MaxScale}) is below {S}:ScaleOutStep ({options.ScaleOutStep}), so no full scale-out step fits. Raise MaxScale or lower ScaleOutStep.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
