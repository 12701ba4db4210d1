using AWorld.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
