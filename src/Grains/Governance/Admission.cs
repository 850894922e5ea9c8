using Odock.Grains.ApiKeys;

namespace Odock.Grains.Governance;

/// <summary>The outcome of <see cref="GovernanceClient.AdmitAsync"/>: the key's grain key (for later stages) and its grant, or a refusal.</summary>
public sealed record Admission(string KeyHash, KeyGrant? Grant, Refusal? Refusal)
{
    /// <summary>The key's grain, as admission reached it: stage 2 and its completion call it again.</summary>
    internal IApiKeyGrain? Key { get; init; }

    public bool Admitted => Grant is not null;
}
