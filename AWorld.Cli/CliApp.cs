using AWorld.Cli.Anomaly;
using AWorld.Cli.Drill;
using AWorld.Cli.Evidence;
using AWorld.Cli.Simulate;
using AWorld.Cli.Twin;
using AWorld.Cli.Watch;

namespace AWorld.Cli;

/// <summary>The <c>aworld</c> command: dispatches to one command per feature.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;

    private const string Usage = """
        aworld — AWorld Console from the command line

        Commands:
          simulate   run the estate twin headless and print a summary
                     aworld simulate --duration 02:00:00 --seed 42 --fault "outage eu-west-1 at 00:30:00 for 00:20:00" --json
          twin       serve a twin over AWS's wire protocols (SigV4 with a documented key pair; Ctrl+C to stop)
                     aworld twin serve --port 4566 [--seed N] [--speed S] [--write-settings FILE]
          watch      follow a running console's estate live (Ctrl+C to stop; --once for one snapshot)
                     aworld watch --url http://localhost:5080 --user noc --password aworld-demo [--once]
          drill      run a DR drill headless on the twin and write its signed evidence pack (exit 0 passed, 1 failed)
                     aworld drill run --scenario region-outage --region eu-west-1 [--seed N] [--out DIR] [--json]
          evidence   verify a drill's evidence pack offline (exit 0 intact, 1 tampered, 2 bad arguments)
                     aworld evidence verify PACK.zip [MORE.zip ...] [--public-key FILE] [--json]
          anomaly    score a NAB-style corpus with the streaming anomaly detector
                     aworld anomaly nab --data ../shared/nab/data --out /tmp/nab-out [--probation-percent 15]
          aws        check that the console can read your AWS estate (each read API once; nothing is changed)
                     aworld aws check --settings appsettings.Production.json

        Run 'aworld COMMAND --help' for a command's options.
        """;

    /// <summary>Runs one command on the machine's clock.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, TimeProvider.System, cancellationToken);

    /// <summary>Runs one command; <paramref name="time"/> is the clock of the commands that date what they write (tests pin it).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? BadArguments : Ok;
        }

        try
        {
            return args[0] switch
            {
                "simulate" => await SimulateCommand.RunAsync(args[1..], stdout, stderr, cancellationToken),
                "watch" => await WatchCommand.RunAsync(args[1..], stdout, stderr, cancellationToken),
                "twin" => await TwinCommand.RunAsync(args[1..], stdout, stderr, cancellationToken),
                "evidence" => await EvidenceCommand.RunAsync(args[1..], stdout, stderr, cancellationToken),
                "drill" => await DrillCommand.RunAsync(args[1..], stdout, stderr, time, cancellationToken),
                "aws" => await Aws.AwsCheckCommand.RunAsync(args[1..], stdout, stderr, time, cancellationToken),
                "anomaly" => await AnomalyCommand.RunAsync(args[1..], stdout, stderr, cancellationToken),
                _ => await Unknown(args[0], stderr),
            };
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("aworld: cancelled.");
            return Failed;
        }
    }

    private static async Task<int> Unknown(string command, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"aworld: unknown command '{command}'. Example: aworld simulate --duration 01:00:00 --json");
        return BadArguments;
    }
}
