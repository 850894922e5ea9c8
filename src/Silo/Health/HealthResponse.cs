namespace Odock.Silo.Health;

internal sealed record HealthResponse(string Status, Dictionary<string, HealthEntry> Checks);
