namespace Odock.Grains.Budgets;

/// <summary>What a reserve, settle or release did. A repeated call with the same reservation id returns the first outcome.</summary>
public enum ReservationOutcome
{
    /// <summary>The amount is held; nothing else may spend it until it is settled, released or expires.</summary>
    Reserved,

    /// <summary>The amount does not fit in what is left of the limit; nothing was held.</summary>
    Refused,

    /// <summary>The actual amount was charged (with or without a live reservation).</summary>
    Settled,

    /// <summary>The held amount was returned unspent.</summary>
    Released,
}
