using Odock.Silo.Hosting;

if (CommandLine.WantsHelp(args))
{
    Console.Out.WriteLine(CommandLine.HelpText);
    return 0;
}

try
{
    await using var app = OdockApplication.Build(args);
    await OdockApplication.PrepareAsync(app, CancellationToken.None);
    await app.RunAsync();
    return 0;
}
catch (StartupFailure failure)
{
    await Console.Error.WriteLineAsync($"odock: cannot start: {failure.Message}");
    return failure.ExitCode;
}
