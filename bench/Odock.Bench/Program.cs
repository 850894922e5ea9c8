using BenchmarkDotNet.Running;
using Odock.Bench.Budgets;
using Odock.Bench.Gateway;
using Odock.Bench.Governance;
using Odock.Bench.Hosting;
using Odock.Bench.InProcess;
using Odock.Bench.Load;
using Odock.Bench.Resolution;

const string usage = "usage: Odock.Bench inprocess [BenchmarkDotNet options]\n       Odock.Bench resolution [BenchmarkDotNet options]\n       Odock.Bench reservations [BenchmarkDotNet options]\n       Odock.Bench chatbody [BenchmarkDotNet options]\n       Odock.Bench " + LoadOptions.RemoteUsage
    + "\n       Odock.Bench " + AdmissionOptions.Usage + "\n       Odock.Bench " + KeyMemoryCommand.Usage;

switch (args.FirstOrDefault())
{
    case "inprocess":
        BenchmarkRunner.Run<InProcessCallBenchmarks>(InProcessBenchmarkConfig.Create(), args[1..]);
        return 0;
    case "resolution":
        BenchmarkRunner.Run<ModelResolutionBenchmarks>(InProcessBenchmarkConfig.Create(), args[1..]);
        return 0;
    case "reservations":
        BenchmarkRunner.Run<ReservationBookBenchmarks>(InProcessBenchmarkConfig.Create(), args[1..]);
        return 0;
    case "chatbody":
        BenchmarkRunner.Run([typeof(ChatBodyBenchmarks), typeof(CompletionUsageBenchmarks), typeof(RequestTextBenchmarks)], InProcessBenchmarkConfig.Create(), args[1..]);
        return 0;
    case "remote":
        return await RunLoadAsync(LoadOptions.ParseRemote, LoadCommand.RunAsync, _ => "call");
    case "admission":
        return await RunLoadAsync(AdmissionOptions.Parse, AdmissionCommand.RunAsync, o => o.Operation == AdmissionOperation.OrgBudget ? "reserve+settle" : "admission");
    case "keymemory":
        int keys;
        try
        {
            keys = KeyMemoryCommand.ParseKeys(args[1..]);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n{usage}");
            return 2;
        }

        await Console.Out.WriteLineAsync(ResultTable.Environment());
        return await KeyMemoryCommand.RunAsync(keys, Console.Out);
    case "silo":
        return await BenchSilo.RunAsync();
    default:
        await Console.Error.WriteLineAsync(usage);
        return 2;
}

async Task<int> RunLoadAsync<TOptions>(Func<IReadOnlyList<string>, TOptions> parse, Func<TOptions, TextWriter, Task<IReadOnlyList<LoadResult>>> run, Func<TOptions, string> operation)
{
    TOptions options;
    try
    {
        options = parse(args[1..]);
    }
    catch (ArgumentException ex)
    {
        await Console.Error.WriteLineAsync($"{ex.Message}\n{usage}");
        return 2;
    }

    await Console.Out.WriteLineAsync(ResultTable.Environment());
    var results = await run(options, Console.Out);
    await Console.Out.WriteLineAsync();
    await Console.Out.WriteLineAsync(ResultTable.Render(results, operation(options)));
    return results.Any(r => r.Errors > 0) ? 1 : 0;
}
