using Odock.Grains.ApiKeys;

namespace Odock.Grains.Governance;

/// <summary>The outcome of <see cref="GovernanceClient.AdmitAsync"/>: the key's grain key (for later stages) and its grant, or a refusal.</summary>
public sealed record Admission(string KeyHash, KeyGrant? Grant, Refusal? Refusal)
{
    public bool Admitted => Grant is not null;
}
