namespace Odock.Bench.Governance;

/// <summary>A key's secret, as a client sends it, and the model its requests go to.</summary>
internal sealed record GovernedKey(string Secret, Guid ModelId);
