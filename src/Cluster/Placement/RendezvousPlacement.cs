using Odock.Cluster.Identity;

namespace Odock.Cluster.Placement;

/// <summary>
/// Highest-random-weight hashing: partition p belongs to the live silo with the highest score hash(p, silo). Every
/// silo computes the same answer from the same membership; adding or removing one silo moves only the partitions
/// that silo wins or held, about P/N of them.
/// </summary>
internal static class RendezvousPlacement
{
    public static string?[] DesiredOwners(int partitionCount, IReadOnlyCollection<string> liveSilos)
    {
        var owners = new string?[partitionCount];
        if (liveSilos.Count == 0)
        {
            return owners;
        }

        var silos = liveSilos.Select(id => (Id: id, Hash: StableHash.Of(id))).ToArray();
        for (var partition = 0; partition < partitionCount; partition++)
        {
            var partitionHash = StableHash.Of(BitConverter.GetBytes(partition));
            var best = silos[0];
            var bestScore = StableHash.Combine(partitionHash, best.Hash);
            for (var i = 1; i < silos.Length; i++)
            {
                var score = StableHash.Combine(partitionHash, silos[i].Hash);
                if (score > bestScore || (score == bestScore && string.CompareOrdinal(silos[i].Id, best.Id) < 0))
                {
                    best = silos[i];
                    bestScore = score;
                }
            }

            owners[partition] = best.Id;
        }

        return owners;
    }
}
