using System.Diagnostics;
using Odock.Cluster.Tests.Grains;
using Odock.Testing.Cluster;
using Xunit.Abstractions;

namespace Odock.Cluster.Tests;

/// <summary>
/// PostgreSQL becomes unreachable (every connection through a cuttable link dropped, new ones refused): silos keep
/// serving what they hold from memory until their self-fencing deadline, then refuse (fail closed) with the typed
/// error, and come back by themselves when the database does.
/// </summary>
[Collection("cluster")]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Silos_serve_through_a_short_outage_then_fail_closed_and_recover_when_the_database_returns()
    {
        var registry = new ActivationRegistry();
        await using var cluster = await TestCluster.StartAsync(2, TestGrainRegistration.With(registry), cuttableDatabase: true);
        var client = await cluster.CreateClientAsync();
        var keys = Enumerable.Range(0, 40).Select(i => $"outage-{i}").ToArray();
        foreach (var key in keys)
        {
            await client.Grains.Get<IProbeGrain>(key).WhereAreYou();
        }

        var outage = Stopwatch.StartNew();
        cluster.DatabaseLink!.Cut();

        // Inside the lease: answers come from memory, no database needed.
        foreach (var key in keys)
        {
            Assert.Equal(key, await client.Grains.Get<IProbeGrain>(key).WhereAreYou());
        }

        var servedFromMemoryFor = outage.Elapsed;
        await TestCluster.WaitUntilAsync(() => cluster.Silos.All(s => s.ServingPartitionCount == 0), "every silo to fence itself", TimeSpan.FromSeconds(30));
        var fencedAfter = outage.Elapsed;
        await TestCluster.WaitUntilAsync(() => cluster.Silos.All(s => s.ActivationCount == 0), "the fenced silos to drop their activations", TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<ClusterUnavailableException>(() => client.Grains.Get<IProbeGrain>(keys[0]).WhereAreYou());
        var refusedAfter = outage.Elapsed;

        cluster.DatabaseLink.Restore();
        await cluster.WaitForBalanceAsync();
        var recoveredAfter = outage.Elapsed;
        foreach (var key in keys)
        {
            Assert.Equal(key, await client.Grains.Get<IProbeGrain>(key).WhereAreYou());
        }

        Assert.All(keys, key => Assert.Equal(2, registry.Activations[key]));
        output.WriteLine(
            $"lease {cluster.Options.LeaseLength.TotalSeconds} s, margin {cluster.Options.SafetyMargin.TotalSeconds} s: served {keys.Length} calls from memory in the first {servedFromMemoryFor.TotalMilliseconds:0} ms, "
            + $"fenced after {fencedAfter.TotalSeconds:0.0} s, refused a call with '{refused.Message}' at {refusedAfter.TotalSeconds:0.0} s, recovered {recoveredAfter.TotalSeconds:0.0} s after the cut");
    }
}
