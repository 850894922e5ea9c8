using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Odock.Bench.Ledger;

const string usage = "usage: Odock.Bench.Ledger ingest [records] [batch] [producers]\n       Odock.Bench.Ledger ingest-sqlite [records] [batch] [producers]\n       Odock.Bench.Ledger query [rows]\n"
    + "PostgreSQL modes take the server from ODOCK_BENCH_POSTGRES (a connection string to a maintenance database); bench/ledger/run.sh starts one.";

var server = Environment.GetEnvironmentVariable("ODOCK_BENCH_POSTGRES");
if (args.FirstOrDefault() != "ingest-sqlite" && string.IsNullOrEmpty(server))
{
    await Console.Error.WriteLineAsync(usage);
    return 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
try
{
    switch (args.FirstOrDefault())
    {
        case "ingest":
            Console.WriteLine(IngestBenchmark.Header);
            await IngestBenchmark.RunAsync(server!, (int)Argument(1, 500_000), (int)Argument(2, 2_000), (int)Argument(3, 2), Console.Out);
            return 0;
        case "ingest-sqlite":
            Console.WriteLine(IngestBenchmark.Header);
            await IngestBenchmark.RunSqliteAsync((int)Argument(1, 200_000), (int)Argument(2, 2_000), (int)Argument(3, 2), Console.Out);
            return 0;
        case "query":
            await AggregateBenchmark.RunAsync(server!, Argument(1, 10_000_000), Console.Out);
            return 0;
        default:
            await Console.Error.WriteLineAsync(usage);
            return 2;
    }
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"{ex.Message}\n{usage}");
    return 2;
}

long Argument(int index, long fallback) => args.Length > index ? long.Parse(args[index], NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
