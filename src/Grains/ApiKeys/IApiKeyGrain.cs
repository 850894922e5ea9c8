using Odock.Cluster;
using Odock.Grains.Governance;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// One virtual API key, keyed by the SHA-256 (lower-case hex) of its secret. Decides stage 1 (key valid, address,
/// payload, request windows) and stage 2 (token windows, concurrency) for everything sent with that key.
/// </summary>
/// <remarks>
/// The three calls of every request (admit, start, complete) return <see cref="ValueTask"/>s: in process the key
/// answers at once, and then a call allocates no task.
/// </remarks>
[GrainType("apikey")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    ValueTask<AdmitResult> Admit(AdmitRequest request);

    /// <summary>
    /// Stage 1 and stage 2 in one call, for a gateway that remembers the key's grant from an earlier admission and has
    /// resolved the request with it. Stage 2 runs only when <paramref name="grantVersion"/> is still the grant's
    /// version; otherwise the key answers with its current grant, stage 1 counted and stage 2 not started, and the
    /// caller resolves again and calls <see cref="Start"/>.
    /// </summary>
    ValueTask<KeyStart> AdmitAndStart(AdmitRequest request, long grantVersion, string requestId, long estimatedTokens);

    /// <summary>Stage 2: holds a concurrency slot and the token estimate; null when admitted. Idempotent per request id.</summary>
    ValueTask<Refusal?> Start(string requestId, long estimatedTokens);

    /// <summary>Frees the request's slot and corrects its tokens; safe to repeat, and to call for a cancelled request.</summary>
    ValueTask Complete(string requestId, long actualTokens);

    /// <summary>Reloads the key from storage: revocation, expiry, grants, limits and linked budgets take effect now.</summary>
    Task Refresh();
}
