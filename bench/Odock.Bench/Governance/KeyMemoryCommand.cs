using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Odock.Bench.Grains;
using Odock.Bench.Hosting;
using Odock.Bench.Load;
using Odock.Domain.Policies;
using Odock.Grains.ApiKeys;
using Odock.Grains.Limits;
using Odock.Storage.Store;

namespace Odock.Bench.Governance;

/// <summary>
/// The <c>keymemory</c> mode (issue 4): the managed memory one active API key grain holds, in local mode on SQLite.
/// For each population (keys without limits, keys with 100 requests per minute; each key with a budget of its own and
/// its team's and organisation's, so its grant names three) it inserts N keys in one transaction,
/// admits through each N times in steps and reads the heap after a full compacting collection at every step: the
/// growth divided by N is the memory per key grain. Then it measures the parts the same way (N of each, built alone)
/// to show where the bytes go.
/// </summary>
internal static class KeyMemoryCommand
{
    public const string Usage = "keymemory [--keys <API keys per population, default 100000>]";

    private const string ClientAddress = "203.0.113.7";
    private static readonly int[] AdmitsPerKey = [1, 5, 100];
    private static readonly ResourcePolicy HundredPerMinute = new() { RequestsPerMinute = 100 };

    /// <summary>The number of keys per population, from the command line.</summary>
    public static int ParseKeys(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = 100_000;
        for (var i = 0; i < args.Count; i += 2)
        {
            count = args[i] == "--keys" && i + 1 < args.Count
                ? LoadOptions.ParseInt("--keys", args[i + 1], 1, 1_000_000)
                : throw new ArgumentException($"Unknown option or missing value '{args[i]}'.");
        }

        return count;
    }

    public static async Task<int> RunAsync(int count, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var table = new StringBuilder()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"| key ({count:N0} active) | {string.Join(" | ", AdmitsPerKey.Select(a => $"after {Admits(a)}"))} |"))
            .AppendLine($"|---|{string.Join("", AdmitsPerKey.Select(_ => "---:|"))}");
        var parts = new StringBuilder().AppendLine("| part, measured alone | bytes each |").AppendLine("|---|---:|");
        long errors = 0;
        foreach (var (name, limits) in new[] { ("no limits", ResourcePolicy.None), ("requests_per_minute = 100", HundredPerMinute) })
        {
            await using var host = await GovernanceHost.StartLocalAsync();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: inserting {count:N0} keys"));
            var secrets = (await GovernedKeys.SeedAsync(host.Store, count, limits, LimitSharing.Shared)).Keys.Select(k => k.Secret).ToArray();
            var perKey = new List<double>();
            var before = SettledHeapBytes();
            var admitted = 0;
            foreach (var target in AdmitsPerKey)
            {
                for (; admitted < target; admitted++)
                {
                    errors += await AdmitEveryKeyAsync(host, secrets);
                }

                perKey.Add((double)(SettledHeapBytes() - before) / count);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: {perKey[^1]:N0} B per key grain after {Admits(target)}"));
            }

            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", perKey.Select(b => b.ToString("N0", CultureInfo.InvariantCulture)))} |"));
            if (limits == ResourcePolicy.None)
            {
                await MeasurePartsAsync(host, secrets, parts);
            }
        }

        MeasureLimiters(count, parts);
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToString());
        await output.WriteLineAsync(parts.ToString());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"refused admissions: {errors}"));
        return errors > 0 ? 1 : 0;
    }

    /// <summary>One admission per key, 64 at a time; returns how many were refused.</summary>
    private static async Task<long> AdmitEveryKeyAsync(GovernanceHost host, string[] secrets)
    {
        long refused = 0;
        foreach (var batch in secrets.Chunk(64))
        {
            var admissions = await Task.WhenAll(batch.Select(secret => host.Governance.AdmitAsync(secret, ClientAddress, 100).AsTask()));
            refused += admissions.Count(a => !a.Admitted);
        }

        return refused;
    }

    /// <summary>
    /// The runtime's share (an activation of a stateless grain keyed, like a key grain, by 64 hex characters), the stored
    /// key as the grain reads it, and the grant it builds, each N times in the same process.
    /// </summary>
    private static async Task MeasurePartsAsync(GovernanceHost host, string[] secrets, StringBuilder parts)
    {
        var count = secrets.Length;
        var before = SettledHeapBytes();
        for (var i = 0; i < count; i += 64)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(64, count - i)).Select(n => host.Grains.Get<IEchoGrain>(HexKey(n)).Echo(n)));
        }

        AddPart(parts, "activation in the runtime: catalog entry, activation, turn lock, a stateless grain, its 64-character key", (double)(SettledHeapBytes() - before) / count);

        before = SettledHeapBytes();
        var loaded = new object[count];
        await using (var session = await host.Store.OpenAsync())
        {
            for (var i = 0; i < count; i++)
            {
                loaded[i] = (await session.ApiKeys.FindByHashAsync(Odock.Domain.Common.SecretToken.Hash(secrets[i])))!;
            }
        }

        AddPart(parts, "the stored key as the grain reads it (`ApiKey` record and its strings)", PerObject(before, count));
        GC.KeepAlive(loaded);
        Array.Clear(loaded);

        var budgets = new List<Guid> { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var none = new List<Guid>();
        AddPart(parts, "the grant (`KeyGrant`, three budget ids)", Retained(count, i => new KeyGrant(
            Guid.NewGuid(), "bench", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), [.. none], [.. none], null, null, [.. budgets.Distinct()], [], i)));
    }

    private static void MeasureLimiters(int count, StringBuilder parts)
    {
        AddPart(parts, "limiter, no limits (`PolicyLimiter`)", Retained(count, _ => new PolicyLimiter(ResourcePolicy.None)));
        var now = DateTimeOffset.UtcNow;
        foreach (var admits in AdmitsPerKey)
        {
            AddPart(parts, string.Create(CultureInfo.InvariantCulture, $"limiter, 100 per minute, after {Admits(admits)} (sliding log)"), Retained(count, _ =>
            {
                var limiter = new PolicyLimiter(HundredPerMinute);
                for (var i = 0; i < admits; i++)
                {
                    limiter.TryAdmitRequest(now, "API key");
                }

                return limiter;
            }));
        }
    }

    /// <summary>Bytes each of <paramref name="count"/> objects holds, net of the array that keeps them alive.</summary>
    private static double Retained(int count, Func<int, object> build)
    {
        var before = SettledHeapBytes();
        var kept = new object[count];
        for (var i = 0; i < count; i++)
        {
            kept[i] = build(i);
        }

        var perObject = PerObject(before, count);
        GC.KeepAlive(kept);
        return perObject;
    }

    private static double PerObject(long before, int count) => (double)(SettledHeapBytes() - before) / count - IntPtr.Size;

    private static void AddPart(StringBuilder parts, string part, double bytes) =>
        parts.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {bytes:N0} |"));

    private static string Admits(int count) => count == 1 ? "1 admit" : string.Create(CultureInfo.InvariantCulture, $"{count} admits");

    private static string HexKey(int n) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)));

    /// <summary>The live heap after full, compacting (large object heap included) collections.</summary>
    private static long SettledHeapBytes()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
