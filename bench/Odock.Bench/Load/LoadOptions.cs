using System.Globalization;

namespace Odock.Bench.Load;

/// <summary>
/// A load run's settings, parsed once from the command line; a bad value fails with a message naming it. The
/// <c>remote</c> and <c>admission</c> modes share the options and differ in their defaults and the paths they offer.
/// </summary>
/// <param name="MaxOtherCpuPercent">A measured run during which other processes used more of the machine than this is repeated.</param>
internal sealed record LoadOptions(TimeSpan Duration, TimeSpan Warmup, int Keys, IReadOnlyList<int> Callers, IReadOnlyList<CallPath> Paths, int MaxOtherCpuPercent)
{
    public const string RemoteUsage =
        "remote [--duration <seconds, default 10>] [--warmup <seconds, default 5>] [--keys <grain keys, default 1024>] "
        + "[--callers <list, default 1,16,64>] [--paths <list of remote|crossprocess|http2floor|silo|local, default all>] "
        + "[--max-other-cpu <percent of the machine other processes may use during a run before it is repeated, default 3>]";

    public const string AdmissionUsage =
        "admission [--duration <seconds, default 10>] [--warmup <seconds, default 5>] [--keys <API keys, default 1000>] "
        + "[--callers <list, default 1,16,64>] [--paths <list of remote|local, default both>] [--max-other-cpu <percent, default 3>]";

    /// <summary>Grain calls: every path, and keys shared out evenly so no two callers ever use one activation.</summary>
    public static LoadOptions ParseRemote(IReadOnlyList<string> args)
    {
        var options = Parse(args, new LoadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 1024, [1, 16, 64], Enum.GetValues<CallPath>(), 3));
        if (options.Callers.FirstOrDefault(callers => options.Keys % callers != 0) is > 0 and var uneven)
        {
            throw new ArgumentException($"--keys ({options.Keys}) must be a multiple of every --callers value ({uneven} is not a divisor), so no two callers share a grain.");
        }

        return options;
    }

    /// <summary>Full admissions: through a cluster client or in local mode; callers may meet on a key, as requests do.</summary>
    public static LoadOptions ParseAdmission(IReadOnlyList<string> args) =>
        Parse(args, new LoadOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 1000, [1, 16, 64], [CallPath.Remote, CallPath.Local], 3));

    private static LoadOptions Parse(IReadOnlyList<string> args, LoadOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = defaults;
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(ParseInt(args[i], value, 1, 600)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(ParseInt(args[i], value, 0, 120)) },
                "--keys" => options with { Keys = ParseInt(args[i], value, 1, 1_000_000) },
                "--callers" => options with { Callers = value.Split(',').Select(c => ParseInt(args[i], c, 1, 4096)).ToArray() },
                "--paths" => options with { Paths = value.Split(',').Select(p => ParsePath(args[i], p, defaults.Paths)).ToArray() },
                "--max-other-cpu" => options with { MaxOtherCpuPercent = ParseInt(args[i], value, 0, 100) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    public static int ParseInt(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{option}: '{value}' must be a whole number from {min} to {max}.");

    private static CallPath ParsePath(string option, string value, IReadOnlyList<CallPath> offered)
    {
        foreach (var path in offered)
        {
            if (string.Equals(path.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return path;
            }
        }

        throw new ArgumentException($"{option}: '{value}' must be one of {string.Join(", ", offered.Select(p => p.ToString().ToLowerInvariant()))}.");
    }
}
