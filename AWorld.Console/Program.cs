using AWorld.Console;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(args);
    // `dotnet run` runs the Production profile (no developer error pages); the libraries' static assets (MudBlazor's)
    // are then served from the build output too. Published, there is no such manifest and this does nothing.
    builder.WebHost.UseStaticWebAssets();
    builder.Services.AddAWorldConsole(builder.Configuration);

    var app = builder.Build();
    // Every setting checked before anything starts, so that every problem is reported at once (the host would stop
    // at the first options a hosted service happens to read).
    app.Services.GetService<IStartupValidator>()?.Validate();
    app.MapAWorldConsole();
    app.Run();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException || (ex is AggregateException all && all.InnerExceptions.All(e => e is OptionsValidationException)))
{
    // A bad setting stops start-up with every problem named by its key, not a stack trace.
    var failures = ex is AggregateException aggregate ? aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)ex).Failures;
    Console.Error.WriteLine("AWorld Console cannot start: the configuration is invalid.");
    foreach (var failure in failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("The estate configuration is invalid", StringComparison.Ordinal))
{
    Console.Error.WriteLine("AWorld Console cannot start: " + ex.Message);
    return 2;
}

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
