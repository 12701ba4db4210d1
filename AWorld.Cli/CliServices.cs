using AWorld.Core.Engine;
using AWorld.Core.Telemetry;
using AWorld.Twin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AWorld.Cli;

/// <summary>The CLI's services: the engine and the twin from the console's own registration (its headless commands run the twin).</summary>
internal static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration) =>
        new ServiceCollection().AddAWorldCore(configuration).AddTwinEstate(configuration).BuildServiceProvider();

    /// <summary>Resolves a service, turning invalid configuration into a one-line-per-problem argument error.</summary>
    public static T Resolve<T>(IServiceProvider services, string example)
        where T : notnull
    {
        try
        {
            _ = services.GetRequiredService<IOptions<SimulationOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            return services.GetRequiredService<T>();
        }
        catch (OptionsValidationException ex)
        {
            throw new ArgumentProblemException("the configuration is invalid: " + string.Join(" ", ex.Failures) + $" Example: {example}");
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The estate configuration is invalid", StringComparison.Ordinal))
        {
            throw new ArgumentProblemException(ex.Message.ReplaceLineEndings(" ") + $" Example: {example}");
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or InvalidOperationException)
        {
            throw new ArgumentProblemException($"the configuration could not be bound: {ex.Message} Example: {example}");
        }
    }
}
