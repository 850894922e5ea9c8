namespace Odock.Silo.Health;

internal sealed record HealthEntry(string Status, string? Description);
