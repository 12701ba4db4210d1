using AWorld.Core;
using Microsoft.Extensions.Options;

namespace AWorld.Twin;

public sealed class SimulationOptionsValidator : IValidateOptions<SimulationOptions>
{
    /// <summary>The longest <see cref="SimulationOptions.History"/>: CloudWatch's retention of hourly data.</summary>
    public static readonly TimeSpan MaxHistory = TimeSpan.FromDays(455);

    public ValidateOptionsResult Validate(string? name, SimulationOptions options)
    {
        var errors = OptionsErrors.DataAnnotations(options, SimulationOptions.SectionName).ToList();
        if (options.DnsChangePropagation < TimeSpan.Zero || options.DnsChangePropagation > TimeSpan.FromHours(1))
        {
            errors.Add($"{SimulationOptions.SectionName}:DnsChangePropagation is {options.DnsChangePropagation}. Use 00:00:00 to 01:00:00.");
        }

        if (!Enum.IsDefined(options.MetricCadence))
        {
            errors.Add($"{SimulationOptions.SectionName}:MetricCadence is {options.MetricCadence}. Use Immediate or CloudWatch.");
        }

        if (options.History < TimeSpan.Zero || options.History > MaxHistory)
        {
            errors.Add($"{SimulationOptions.SectionName}:History is {options.History}. Use 00:00:00 to 455.00:00:00 (CloudWatch keeps 455 days).");
        }

        if (options.SaveInterval < TimeSpan.FromSeconds(1) || options.SaveInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{SimulationOptions.SectionName}:SaveInterval is {options.SaveInterval}. Use 00:00:01 to 01:00:00.");
        }

        if (options.MaxCatchUp < TimeSpan.Zero || options.MaxCatchUp > TimeSpan.FromDays(30))
        {
            errors.Add($"{SimulationOptions.SectionName}:MaxCatchUp is {options.MaxCatchUp}. Use 00:00:00 to 30.00:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
