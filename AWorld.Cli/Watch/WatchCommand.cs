using System.Net;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using AWorld.Core.Telemetry;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AWorld.Cli.Watch;

/// <summary>
/// <c>aworld watch</c>: signs in to a running console, subscribes to its estate hub and shows each snapshot as it
/// arrives, redrawn in place on a terminal and as plain blocks when the output is redirected.
/// </summary>
public static class WatchCommand
{
    public const string Example = "aworld watch --url http://localhost:5080 --user noc --password aworld-demo";

    /// <summary>How long <c>--once</c> waits for the first snapshot before giving up.</summary>
    public static readonly TimeSpan FirstSnapshotTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The hub's path and client method; kept in step with <c>AWorld.Console.Live.EstateHub</c>.</summary>
    internal const string HubPath = "hubs/estate";
    internal const string SnapshotMethod = "snapshot";

    private const string Help = """
        aworld watch — follow a running AWorld Console's estate live in the terminal

          --url URL             the console's address, http:// or https:// (e.g. http://localhost:5080)
          --user NAME           user name to sign in with (any role may watch)
          --password PASSWORD   that user's password (or set AWORLD_PASSWORD, which other users cannot see in ps)
          --once                print the first snapshot and exit (exit 1 if none arrives within 30 s)

        Ctrl+C stops watching. On a terminal the view is redrawn in place; redirected, each snapshot is printed as
        a plain block. Health is always written as a word (Healthy, Degraded, Unhealthy, Unknown).

        Example:
          
        """;

    private const string Csi = "\u001b[";

    private static readonly HashSet<string> ValueOptions = ["--url", "--user", "--password"];
    private static readonly HashSet<string> FlagOptions = ["--once", "--help", "-h"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, ansi: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected, cancellationToken);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool ansi, CancellationToken cancellationToken)
    {
        WatchArguments arguments;
        try
        {
            var reader = new ArgumentReader(args, ValueOptions, FlagOptions, Example);
            if (reader.Flag("--help") || reader.Flag("-h"))
            {
                await stdout.WriteLineAsync(Help + "  " + Example);
                return CliApp.Ok;
            }

            arguments = WatchArguments.Read(reader);
        }
        catch (ArgumentProblemException problem)
        {
            await stderr.WriteLineAsync($"aworld watch: {problem.Message}");
            return CliApp.BadArguments;
        }

        try
        {
            return await WatchAsync(arguments, stdout, stderr, ansi, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a watch ends: not a failure.
            return CliApp.Ok;
        }
    }

    private static async Task<int> WatchAsync(WatchArguments arguments, TextWriter stdout, TextWriter stderr, bool ansi, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var tokens = new TokenClient(http, arguments.BaseUrl, arguments.DisplayUrl, arguments.User, arguments.Password, TimeProvider.System);
        var signIn = await tokens.SignInAsync(cancellationToken);
        if (signIn.Error is { } error)
        {
            await stderr.WriteLineAsync($"aworld watch: {error}");
            return CliApp.Failed;
        }

        // Everything the connection reports goes through one channel, so that only this method writes output.
        var events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(arguments.BaseUrl, HubPath), o => o.AccessTokenProvider = tokens.AccessTokenAsync)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .WithAutomaticReconnect()
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(new NoticeLoggerProvider(events.Writer)))
            .Build();
        connection.On<EstateSnapshot>(SnapshotMethod, snapshot => events.Writer.TryWrite(new SnapshotReceived(snapshot)));
        connection.Reconnecting += ex =>
        {
            events.Writer.TryWrite(new Notice($"connection to {arguments.DisplayUrl} lost{Because(ex)}; reconnecting..."));
            return Task.CompletedTask;
        };
        connection.Reconnected += _ =>
        {
            events.Writer.TryWrite(new Notice($"reconnected to {arguments.DisplayUrl}."));
            return Task.CompletedTask;
        };
        connection.Closed += ex =>
        {
            events.Writer.TryWrite(new ConnectionClosed(ex));
            return Task.CompletedTask;
        };

        if (await StartAsync(connection, arguments, cancellationToken) is { } startError)
        {
            await stderr.WriteLineAsync($"aworld watch: {startError}");
            return CliApp.Failed;
        }

        using var firstSnapshotDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (arguments.Once)
        {
            firstSnapshotDeadline.CancelAfter(FirstSnapshotTimeout);
        }

        var drawn = 0;
        try
        {
            while (await events.Reader.WaitToReadAsync(firstSnapshotDeadline.Token))
            {
                EstateSnapshot? latest = null;
                while (events.Reader.TryRead(out var item))
                {
                    switch (item)
                    {
                        case SnapshotReceived { Snapshot: var snapshot } when arguments.Once:
                            await stdout.WriteAsync(WatchView.Render(snapshot, ansi));
                            return CliApp.Ok;
                        case SnapshotReceived { Snapshot: var snapshot }:
                            // Coalesce: when the terminal is slower than the hub, draw only the newest.
                            latest = snapshot;
                            break;
                        case Notice { Text: var text }:
                            await stderr.WriteLineAsync($"aworld watch: {text}");
                            break;
                        case ConnectionClosed { Error: var ex }:
                            await stderr.WriteLineAsync($"aworld watch: connection to {arguments.DisplayUrl} closed{Because(ex)}.");
                            return CliApp.Failed;
                    }
                }

                if (latest is not null)
                {
                    await DrawAsync(stdout, latest, ansi, first: drawn++ == 0);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"aworld watch: no snapshot arrived from {arguments.DisplayUrl} within {FirstSnapshotTimeout.TotalSeconds:0} s.");
            return CliApp.Failed;
        }

        return CliApp.Ok;
    }

    private static async Task<string?> StartAsync(HubConnection connection, WatchArguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            await connection.StartAsync(cancellationToken);
            return null;
        }
        catch (SignInFailedException ex)
        {
            return ex.Message;
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return $"{arguments.DisplayUrl} refused the token for '{arguments.User}' at /{HubPath} (HTTP {(int)ex.StatusCode}).";
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            return $"cannot connect to the estate hub at {arguments.DisplayUrl}/{HubPath}: HTTP {(int)status}.";
        }
        catch (HttpRequestException ex)
        {
            return $"cannot reach {arguments.DisplayUrl}: {TokenClient.Reason(ex)}";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"cannot connect to the estate hub at {arguments.DisplayUrl}/{HubPath}: {ex.Message}";
        }
    }

    private static async Task DrawAsync(TextWriter stdout, EstateSnapshot snapshot, bool ansi, bool first)
    {
        var view = WatchView.Render(snapshot, ansi);
        if (ansi)
        {
            // Home, overwrite each line and clear its tail, then clear below: no full-screen blink between frames.
            await stdout.WriteAsync((first ? Csi + "2J" : "") + Csi + "H" + view.Replace("\n", Csi + "K\n", StringComparison.Ordinal) + Csi + "J");
        }
        else
        {
            await stdout.WriteAsync((first ? "" : "\n") + view);
        }

        await stdout.FlushAsync();
    }

    private static string Because(Exception? ex) => ex is null ? "" : $" ({ex.Message.TrimEnd('.')})";

    private abstract record WatchEvent;

    private sealed record SnapshotReceived(EstateSnapshot Snapshot) : WatchEvent;

    private sealed record Notice(string Text) : WatchEvent;

    private sealed record ConnectionClosed(Exception? Error) : WatchEvent;

    /// <summary>
    /// Turns the two SignalR client errors that would otherwise vanish (a snapshot that cannot be read, a failed
    /// handler) into notices on stderr; without it the view would silently stop updating. Connection errors are
    /// left out: the Reconnecting and Closed events already report them, once.
    /// </summary>
    private sealed class NoticeLoggerProvider(ChannelWriter<WatchEvent> events) : ILoggerProvider, ILogger
    {
        private static readonly HashSet<string> Reported = ["ArgumentBindingFailure", "ErrorInvokingClientSideMethod"];

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && eventId.Name is { } name && Reported.Contains(name))
            {
                events.TryWrite(new Notice(formatter(state, exception).TrimEnd('.') + (exception is null ? "." : $": {exception.Message}")));
            }
        }
    }

    private sealed record WatchArguments(Uri BaseUrl, string DisplayUrl, string User, string Password, bool Once)
    {
        public static WatchArguments Read(ArgumentReader reader)
        {
            var url = Required(reader, "--url", "the console's address");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(parsed.Host))
            {
                throw reader.Problem($"--url '{url}' is not an absolute http:// or https:// address");
            }

            var user = Required(reader, "--user", "a user name");
            // The environment keeps the password out of the process list that other users can read.
            var password = reader.Single("--password") is { Length: > 0 } given
                ? given
                : Environment.GetEnvironmentVariable("AWORLD_PASSWORD") is { Length: > 0 } fromEnvironment
                    ? fromEnvironment
                    : throw reader.Problem("--password is missing; give a password, or set AWORLD_PASSWORD");

            // A trailing slash makes relative paths land under a console hosted below the site root.
            var display = parsed.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new WatchArguments(new Uri(display + "/"), display, user, password, reader.Flag("--once"));
        }

        private static string Required(ArgumentReader reader, string name, string what) =>
            reader.Single(name) is { Length: > 0 } value ? value : throw reader.Problem($"{name} is missing; give {what}");
    }
}
