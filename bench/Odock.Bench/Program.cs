using BenchmarkDotNet.Running;
using Odock.Bench.Hosting;
using Odock.Bench.InProcess;
using Odock.Bench.Load;

const string usage = "usage: Odock.Bench inprocess [BenchmarkDotNet options]\n       Odock.Bench " + LoadOptions.Usage;

switch (args.FirstOrDefault())
{
    case "inprocess":
        BenchmarkRunner.Run<InProcessCallBenchmarks>(InProcessBenchmarkConfig.Create(), args[1..]);
        return 0;
    case "remote":
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args[1..]);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n{usage}");
            return 2;
        }

        await Console.Out.WriteLineAsync(ResultTable.Environment());
        var results = await LoadCommand.RunAsync(options, Console.Out);
        await Console.Out.WriteLineAsync();
        await Console.Out.WriteLineAsync(ResultTable.Render(results));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    case "silo":
        return await BenchSilo.RunAsync();
    default:
        await Console.Error.WriteLineAsync(usage);
        return 2;
}
