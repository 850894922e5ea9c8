using Odock.Grains.ApiKeys;

namespace Odock.Grains.Governance;

/// <summary>
/// The outcome of <see cref="GovernanceClient.AdmitAsync"/>: the key's grain key (for later stages) and its grant, or a
/// refusal. A <see cref="Provisional"/> admission carries the grant this gateway remembered for the key, which the key
/// has not yet confirmed: the key decides stage 1 when stage 2 is asked of it (<see cref="GovernanceClient.StartAndReserveAsync"/>),
/// or at <see cref="GovernanceClient.ConfirmAsync"/>, and the admission then takes the key's word: refused, or admitted
/// with the grant current then.
/// </summary>
public sealed class Admission(string keyHash, KeyGrant? grant, Refusal? refusal)
{
    public string KeyHash { get; } = keyHash;

    public KeyGrant? Grant { get; private set; } = grant;

    public Refusal? Refusal { get; private set; } = refusal;

    /// <summary>The key's grain, as admission reached it: stage 2 and its completion call it again.</summary>
    internal IApiKeyGrain? Key { get; init; }

    /// <summary>Stage 1's question, kept until the key answers it; null once it has (or when it was asked at once).</summary>
    internal AdmitRequest? Pending { get; init; }

    /// <summary>Whether the key has not yet decided stage 1 for this request.</summary>
    public bool Provisional => Pending is not null && !_decided;

    public bool Admitted => Grant is not null;

    private bool _decided;

    /// <summary>The key's answer to stage 1: a refusal, or the grant current now (null: the one this admission holds).</summary>
    internal void Decide(Refusal? refused, KeyGrant? current)
    {
        _decided = true;
        if (refused is not null)
        {
            (Grant, Refusal) = (null, refused);
        }
        else if (current is not null)
        {
            Grant = current;
        }
    }
}
