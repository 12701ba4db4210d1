using System.Globalization;
using System.Text;
using AWorld.Core.Anomalies;

namespace AWorld.Cli.Anomaly;

/// <summary>
/// <c>aworld anomaly nab</c>: runs the streaming anomaly detector over a NAB-style corpus
/// (<c>DIR/&lt;category&gt;/&lt;name&gt;.csv</c>) and writes one scored file per input for NAB's scorer.
/// </summary>
public static class AnomalyCommand
{
    public const string Example = "aworld anomaly nab --data ../shared/nab/data --out /tmp/nab-out --probation-percent 15";

    private const string Help = """
        aworld anomaly nab — score every series of a NAB-style corpus with the streaming anomaly detector

          --data DIR                  input: DIR/<category>/<name>.csv with columns timestamp,value
          --out DIR                   output: OUT/<category>/<name>.csv with timestamp,value,anomaly_score
          --probation-percent P       share of each file the detector only learns from (default 15; at most 750 rows)

        Exit codes: 0 every file scored, 1 a file could not be read or scored (named with its line), 2 bad arguments.

        Example:
          
        """;

    private static readonly HashSet<string> ValueOptions = ["--data", "--out", "--probation-percent"];
    private static readonly HashSet<string> FlagOptions = ["--help", "-h"];

    /// <summary>Most points the detector learns from in a file, as NAB allows.</summary>
    private const int MaxLearningPoints = 750;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] != "nab")
        {
            var what = args.Length == 0 ? "a subcommand is needed" : $"unknown subcommand '{args[0]}'";
            await stderr.WriteLineAsync($"aworld anomaly: {what}. Example: {Example}");
            return CliApp.BadArguments;
        }

        string data;
        string output;
        double percent;
        try
        {
            var reader = new ArgumentReader(args[1..], ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            data = reader.Single("--data") ?? throw reader.Problem("--data is required");
            output = reader.Single("--out") ?? throw reader.Problem("--out is required");
            if (!Directory.Exists(data))
            {
                throw reader.Problem($"--data '{data}' is not a directory");
            }

            var percentText = reader.Single("--probation-percent") ?? "15";
            if (!double.TryParse(percentText, NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || !(percent is > 0 and < 100))
            {
                throw reader.Problem($"--probation-percent '{percentText}' is not a number between 0 and 100 (exclusive)");
            }
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld anomaly nab: {problem.Message}");
            return CliApp.BadArguments;
        }

        var files = Directory.GetDirectories(data)
            .SelectMany(d => Directory.GetFiles(d, "*.csv"))
            .Select(f => Path.GetRelativePath(data, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            await stderr.WriteLineAsync($"aworld anomaly nab: --data '{data}' holds no <category>/<name>.csv files. Example: {Example}");
            return CliApp.BadArguments;
        }

        var problems = new string?[files.Length];
        var warnings = new string?[files.Length];
        var rows = new int[files.Length];
        await Parallel.ForAsync(0, files.Length, new ParallelOptions { CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var display = Path.Combine(data, files[i]).Replace('\\', '/');
            var read = SeriesCsv.Read(Path.Combine(data, files[i]), display);
            if (read.Series is not { } series)
            {
                problems[i] = read.Problem;
                return;
            }

            warnings[i] = read.Warning;

            var learning = Math.Max(1, Math.Min((int)Math.Floor(series.Count * percent / 100.0), MaxLearningPoints));
            var text = Score(series, new AnomalyDetectorOptions { LearningPoints = learning });
            var target = Path.Combine(output, files[i]);
            // Written beside the target and moved into place, so a failed run never leaves a partial file.
            var temporary = target + ".partial";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllTextAsync(temporary, text, ct);
                File.Move(temporary, target, overwrite: true);
                rows[i] = series.Count;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }

                problems[i] = $"{target}: cannot be written: {ex.Message}";
            }
        });

        foreach (var warning in warnings.Where(w => w is not null))
        {
            await stderr.WriteLineAsync($"aworld anomaly nab: warning: {warning}");
        }

        var failed = problems.Where(p => p is not null).ToArray();
        foreach (var problem in failed)
        {
            await stderr.WriteLineAsync($"aworld anomaly nab: {problem}");
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"scored {files.Length - failed.Length} of {files.Length} files ({rows.Sum():N0} points) into {output}"));
        return failed.Length == 0 ? CliApp.Ok : CliApp.Failed;
    }

    internal static string Score(SeriesFile series, AnomalyDetectorOptions options)
    {
        var detector = new AnomalyDetector(options);
        var text = new StringBuilder(series.Count * 48);
        text.Append("timestamp,value,anomaly_score\n");
        for (var i = 0; i < series.Count; i++)
        {
            var point = detector.Observe(series.Timestamps[i], series.Values[i]);
            text.Append(series.TimestampText[i]).Append(',').Append(series.ValueText[i]).Append(',')
                .Append(point.Score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
