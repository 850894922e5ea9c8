using Odock.Silo.Hosting;

namespace Odock.Silo.Tests;

/// <summary>When the process tells an operator on one CPU to shorten the runtime's tier-up delay, and when it stays quiet.</summary>
public sealed class SingleCpuTieringTests
{
    [Fact]
    public void One_cpu_with_the_runtime_defaults_gets_the_advice_naming_the_variable()
    {
        var advice = SingleCpuTiering.Advice(1, Environment([]));

        Assert.NotNull(advice);
        Assert.Contains("DOTNET_TC_DelaySingleProcMultiplier=1", advice, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_one_cpu_needs_nothing()
    {
        Assert.Null(SingleCpuTiering.Advice(2, Environment([])));
        Assert.Null(SingleCpuTiering.Advice(16, Environment([])));
    }

    [Theory]
    [InlineData("DOTNET_TC_DelaySingleProcMultiplier", "1")]
    [InlineData("DOTNET_TC_DelaySingleProcMultiplier", "0")]
    [InlineData("COMPlus_TC_DelaySingleProcMultiplier", "1")]
    [InlineData("DOTNET_TC_CallCountingDelayMs", "0")]
    [InlineData("DOTNET_TC_CallCountingDelayMs", "0x0")]
    [InlineData("DOTNET_TieredCompilation", "0")]
    public void A_setting_that_removes_the_long_wait_silences_it(string name, string value)
    {
        Assert.Null(SingleCpuTiering.Advice(1, Environment(new() { [name] = value })));
    }

    [Theory]
    [InlineData("DOTNET_TC_DelaySingleProcMultiplier", "10")]
    [InlineData("DOTNET_TC_DelaySingleProcMultiplier", "a")] // read as hexadecimal, like the runtime: 10
    [InlineData("DOTNET_TC_DelaySingleProcMultiplier", "not a number")]
    [InlineData("DOTNET_TC_CallCountingDelayMs", "64")]
    [InlineData("DOTNET_TieredCompilation", "1")]
    public void A_setting_that_keeps_the_long_wait_does_not(string name, string value)
    {
        Assert.NotNull(SingleCpuTiering.Advice(1, Environment(new() { [name] = value })));
    }

    private static Func<string, string?> Environment(Dictionary<string, string> variables) =>
        name => variables.TryGetValue(name, out var value) ? value : null;
}
