namespace Odock.Grains.Budgets;

/// <summary>The outcome of one reservation operation and the book's figures right after it.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Amount">The amount reserved, settled or released (the requested amount when refused).</param>
/// <param name="Remaining">Limit minus settled spend minus open reservations, never below zero.</param>
/// <param name="Repeated">True when this answers a repeat of an operation already applied.</param>
public readonly record struct ReservationResult(ReservationOutcome Outcome, decimal Amount, decimal Remaining, bool Repeated);
