using Odock.Grains.Governance;

namespace Odock.Grains.ApiKeys;

/// <summary>Either the key's grant (admitted) or the refusal; never both.</summary>
public sealed record AdmitResult(KeyGrant? Grant, Refusal? Refusal)
{
    public bool Admitted => Grant is not null;
}
