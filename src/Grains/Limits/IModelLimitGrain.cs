using Odock.Cluster;
using Odock.Grains.Governance;

namespace Odock.Grains.Limits;

/// <summary>
/// A model's own policy limits (requests, tokens, concurrency), shared by every key that calls the model: the
/// "model" scope of the staged limits. Keyed by the model's id.
/// </summary>
[GrainType("modellimit")]
public interface IModelLimitGrain : IGrainWithStringKey
{
    /// <summary>Counts the request in the model's request windows and holds a slot and the token estimate; null when admitted.</summary>
    ValueTask<Refusal?> Start(string requestId, long estimatedTokens);

    ValueTask Complete(string requestId, long actualTokens);

    Task Refresh();
}
