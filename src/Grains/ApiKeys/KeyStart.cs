using Odock.Grains.Governance;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// The key's answer to <see cref="IApiKeyGrain.AdmitAndStart"/>. Not <see cref="Admitted"/>: <see cref="Refusal"/> is
/// stage 1's and nothing was counted for stage 2. Admitted with a <see cref="Changed"/> grant: the caller's grant was
/// out of date, stage 1 is counted and stage 2 was not started. Otherwise <see cref="Refusal"/> is stage 2's, or null
/// when the key holds the request's slot.
/// </summary>
public sealed record KeyStart(bool Admitted, Refusal? Refusal, KeyGrant? Changed)
{
    /// <summary>Admitted, the grant current, the slot held: what nearly every call answers, made once.</summary>
    public static readonly KeyStart Started = new(true, null, null);

    public static KeyStart NotAdmitted(Refusal refusal) => new(false, refusal, null);
}
