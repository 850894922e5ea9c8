using Odock.Cluster.Identity;
using Odock.Cluster.Placement;

namespace Odock.Cluster.Tests;

public sealed class PlacementTests
{
    [Fact]
    public void Stable_hash_is_pinned_so_grains_never_move_between_versions()
    {
        // Values computed independently (FNV-1a 64, then the SplitMix64 finaliser).
        Assert.Equal(0xF52A15E9A9B5E89BUL, StableHash.Of(""));
        Assert.Equal(StableHash.Of("budget/acme"), StableHash.Of("budget/acme"));
        Assert.Equal(28, StableHash.PartitionOf(new GrainId("budget", "acme"), 256));
    }

    [Fact]
    public void Keys_spread_evenly_over_partitions()
    {
        var counts = new int[256];
        for (var i = 0; i < 256_000; i++)
        {
            counts[StableHash.PartitionOf(new GrainId("api_key", $"key-{i}"), 256)]++;
        }

        Assert.InRange(counts.Min(), 800, 1000);
        Assert.InRange(counts.Max(), 1000, 1200);
    }

    [Fact]
    public void Adding_a_silo_moves_only_the_partitions_it_wins()
    {
        var before = RendezvousPlacement.DesiredOwners(256, ["silo-a", "silo-b", "silo-c"]);
        var after = RendezvousPlacement.DesiredOwners(256, ["silo-a", "silo-b", "silo-c", "silo-d"]);

        var moved = Enumerable.Range(0, 256).Where(p => before[p] != after[p]).ToArray();

        Assert.All(moved, p => Assert.Equal("silo-d", after[p]));
        Assert.InRange(moved.Length, 32, 96);
    }

    [Fact]
    public void Removing_a_silo_moves_only_its_partitions()
    {
        var before = RendezvousPlacement.DesiredOwners(256, ["silo-a", "silo-b", "silo-c"]);
        var after = RendezvousPlacement.DesiredOwners(256, ["silo-a", "silo-c"]);

        Assert.All(Enumerable.Range(0, 256).Where(p => before[p] != after[p]), p => Assert.Equal("silo-b", before[p]));
        Assert.DoesNotContain("silo-b", after);
    }
}
