namespace Odock.Cluster.Membership;

/// <summary>A row of the membership table as the lease loop reads it; <see cref="Alive"/> is judged by the database clock.</summary>
internal sealed record MemberRow(string SiloId, string Address, string Status, bool Alive, long HeartbeatAgeMs, int ActivationCount);
