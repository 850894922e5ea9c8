using System.Globalization;

namespace Odock.Silo.Hosting;

/// <summary>
/// .NET optimises a hot method only after a quiet spell in which no new code was compiled, and on a process that may
/// use one CPU it makes that spell ten times longer (1 s instead of 100 ms). A gateway under steady load on one core
/// keeps compiling now and then (each method that crosses its call count is recompiled, instrumented, which starts the
/// wait again), so it served minutes of load from unoptimised code in our harness (docs/BENCHMARKS.md, "Fourth round").
/// The delay is read from the environment before any managed code runs, so the process can only say so.
/// </summary>
internal static class SingleCpuTiering
{
    public const string Variable = "DOTNET_TC_DelaySingleProcMultiplier";

    /// <summary>Why the operator should set <see cref="Variable"/>, or null when it does not apply or is already dealt with.</summary>
    public static string? Advice(int processorCount, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (processorCount != 1
            || Setting(environment, "TieredCompilation") == 0
            || Setting(environment, "TC_CallCountingDelayMs") == 0
            || Setting(environment, "TC_DelaySingleProcMultiplier") is <= 1)
        {
            return null;
        }

        return $"This process may use one CPU, where .NET waits ten times longer for a quiet spell before it optimises hot code; " +
            $"under steady load that can take minutes. Set {Variable}=1 in odock's environment (docs/CONFIG.md, \"One CPU\").";
    }

    /// <summary>A runtime setting as the runtime reads it: DOTNET_ or COMPlus_ prefix, a hexadecimal number.</summary>
    private static uint? Setting(Func<string, string?> environment, string name)
    {
        var text = environment("DOTNET_" + name) ?? environment("COMPlus_" + name);
        if (text is null)
        {
            return null;
        }

        var digits = text.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        return uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
