namespace Odock.Cluster.Membership;

/// <summary>
/// This process's identity in the cluster: a fresh id per start (a restarted process is a new silo, so it can never
/// be confused with its previous life's leases) and the address other processes reach it at.
/// </summary>
public sealed class SiloIdentity
{
    public SiloIdentity(string id, string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        Address = address;
    }

    public string Id { get; }

    /// <summary>The cluster endpoint's base URL (<c>http://10.0.0.5:11111</c>); set once the listener is bound.</summary>
    public string Address { get; internal set; }

    public static SiloIdentity CreateNew(string address = "") =>
        new($"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}", address);
}
