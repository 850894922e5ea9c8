namespace Odock.Cluster.Storage;

/// <summary>A grain's state as stored: its version tag and its JSON.</summary>
internal sealed record StoredState(string ETag, string Data);
