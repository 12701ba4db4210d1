using System.ComponentModel.DataAnnotations;

namespace AWorld.Console;

/// <summary>The console host's settings, bound from <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>Everything the console stores (database, keys) lives here; relative paths are under the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>How often the hub pushes the latest snapshot to every connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan HubInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often (real time) the driver advances the twin and polls the sources.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan DriverTick { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Tests turn the background driver off and poll by hand on a fake clock.</summary>
    public bool DriverEnabled { get; set; } = true;

    /// <summary>Lifetime of the bearer tokens issued by <c>POST /api/auth/token</c>.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed sign-ins allowed per user name, and per client address, within <see cref="SignInWindow"/>.</summary>
    [Range(1, 1000)]
    public int MaxFailedSignInsPerUser { get; set; } = 5;

    [Range(1, 10000)]
    public int MaxFailedSignInsPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Demo accounts, seeded in simulation mode only.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Password of every demo account.</summary>
    [Required, MinLength(8)]
    public string Password { get; set; } = "aworld-demo";

    /// <summary>Set false to start a simulation console without demo accounts.</summary>
    public bool SeedAccounts { get; set; } = true;
}
