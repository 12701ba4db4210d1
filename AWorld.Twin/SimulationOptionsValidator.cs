using AWorld.Core;
using Microsoft.Extensions.Options;

namespace AWorld.Twin;

public sealed class SimulationOptionsValidator : IValidateOptions<SimulationOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulationOptions options)
    {
        var errors = OptionsErrors.DataAnnotations(options, SimulationOptions.SectionName).ToList();
        if (options.DnsChangePropagation < TimeSpan.Zero || options.DnsChangePropagation > TimeSpan.FromHours(1))
        {
            errors.Add($"{SimulationOptions.SectionName}:DnsChangePropagation is {options.DnsChangePropagation}. Use 00:00:00 to 01:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
