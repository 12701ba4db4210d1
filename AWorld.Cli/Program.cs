using AWorld.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks the command to stop cleanly; a second one, while it is still stopping, ends the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await CliApp.RunAsync(args, Console.Out, Console.Error, cancel.Token);
