using Microsoft.Extensions.Options;

namespace AWorld.Core.Anomalies;

/// <summary>Checks the Anomalies section at start, every error naming its key.</summary>
public sealed class AnomalyTrackerOptionsValidator : IValidateOptions<AnomalyTrackerOptions>
{
    private const string S = AnomalyTrackerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AnomalyTrackerOptions options)
    {
        var errors = options.Detector.Validate().Select(e => $"{S}:Detector:{e}").ToList();
        if (options.ConfirmSpacing <= TimeSpan.Zero)
        {
            errors.Add($"{S}:ConfirmSpacing is {options.ConfirmSpacing}; it must be positive, e.g. 00:01:00.");
        }

        if (options.QuietPoints is < 1 or > 100_000)
        {
            errors.Add($"{S}:QuietPoints is {options.QuietPoints}; it must be between 1 and 100000.");
        }

        if (options.MaxEventLength <= TimeSpan.Zero || options.RecentWindow <= TimeSpan.Zero)
        {
            errors.Add($"{S}:MaxEventLength ({options.MaxEventLength}) and {S}:RecentWindow ({options.RecentWindow}) must be positive, e.g. 01:00:00.");
        }

        if (options.MaxEndedEvents is < 1 or > 100_000)
        {
            errors.Add($"{S}:MaxEndedEvents is {options.MaxEndedEvents}; it must be between 1 and 100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
