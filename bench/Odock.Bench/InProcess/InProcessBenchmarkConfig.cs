using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Odock.Bench.InProcess;

/// <summary>
/// A short job run inside this process: three warm-up and ten measured iterations, so the whole suite takes a couple
/// of minutes on two cores, and no generated project has to be built under the repository's central package rules.
/// Reports go to the temporary directory unless <c>--artifacts</c> says otherwise.
/// </summary>
internal static class InProcessBenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.ShortRun
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("InProcessShort"))
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "odock-bench", "BenchmarkDotNet.Artifacts"));
}
