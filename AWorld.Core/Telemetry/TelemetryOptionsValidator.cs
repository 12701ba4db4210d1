using Microsoft.Extensions.Options;

namespace AWorld.Core.Telemetry;

public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    private const string S = TelemetryOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = OptionsErrors.DataAnnotations(options, S)
            .Concat(OptionsErrors.DataAnnotations(options.Thresholds, S + ":Thresholds"))
            .Concat(OptionsErrors.DataAnnotations(options.Store, S + ":Store"))
            .ToList();
        var t = options.Thresholds;
        if (t.ErrorRateDegraded > t.ErrorRateUnhealthy)
        {
            errors.Add($"{S}:Thresholds:ErrorRateDegraded ({t.ErrorRateDegraded}) is above ErrorRateUnhealthy ({t.ErrorRateUnhealthy}). Degraded must come first.");
        }

        if (t.LatencyP99DegradedMs > t.LatencyP99UnhealthyMs)
        {
            errors.Add($"{S}:Thresholds:LatencyP99DegradedMs ({t.LatencyP99DegradedMs}) is above LatencyP99UnhealthyMs ({t.LatencyP99UnhealthyMs}). Degraded must come first.");
        }

        if (t.CanarySuccessUnhealthy > t.CanarySuccessDegraded)
        {
            errors.Add($"{S}:Thresholds:CanarySuccessUnhealthy ({t.CanarySuccessUnhealthy}) is above CanarySuccessDegraded ({t.CanarySuccessDegraded}). Degraded must come first: e.g. 0.5 and 0.9.");
        }

        if (options.StaleAfter < options.PollInterval * 2)
        {
            errors.Add($"{S}:StaleAfter ({options.StaleAfter}) must be at least twice {S}:PollInterval ({options.PollInterval}), or every poll would look stale.");
        }

        if (options.StaleAfter < options.HighResolutionPollInterval)
        {
            errors.Add($"{S}:StaleAfter ({options.StaleAfter}) must be at least {S}:HighResolutionPollInterval ({options.HighResolutionPollInterval}), or the canaries would look stale between two reads.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
