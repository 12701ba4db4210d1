using Microsoft.Extensions.Options;

namespace AWorld.Console.Storage;

/// <summary>The one directory that holds everything the console stores, so that a copy or a volume carries it all.</summary>
public sealed class DataDirectory
{
    public DataDirectory(IOptions<ConsoleOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.DataDirectory;
        Path = System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(configured) ? configured : System.IO.Path.Combine(environment.ContentRootPath, configured));
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(KeysPath);
    }

    public string Path { get; }

    public string KeysPath => System.IO.Path.Combine(Path, "keys");

    public string DatabasePath => System.IO.Path.Combine(Path, "console.db");
}
