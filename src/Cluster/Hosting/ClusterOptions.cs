namespace Odock.Cluster;

/// <summary>
/// The grain runtime's settings, bound from <c>Odock:Cluster</c>. Defaults ride out a 16-second database outage and
/// take over a crashed silo's partitions within about 22 seconds (docs/CLUSTER.md explains the trade-off).
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Odock:Cluster";

    /// <summary>Fixed for the life of a cluster: changing it moves every grain.</summary>
    public int PartitionCount { get; set; } = 256;

    /// <summary>How long a lease lasts past its last renewal, by the database clock (L).</summary>
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often leases are renewed and heartbeats written (R ≤ L/3).</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long before lease expiry a silo that could not renew stops serving (δ): covers clock-rate drift and pauses.</summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>A silo whose heartbeat is older than this is treated as dead when placing partitions.</summary>
    public TimeSpan SuspicionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Activations unused for this long are deactivated.</summary>
    public TimeSpan IdleCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most activations one silo holds; beyond it the least recently used idle ones are shed.</summary>
    public int MaxActivations { get; set; } = 1_000_000;

    /// <summary>The deadline of one grain call, retries included.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The silo-to-silo listener (HTTP/2 cleartext); port 0 picks a free port.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:0";

    /// <summary>The address other processes use to reach this silo; defaults to the bound listener address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Every problem with these settings, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PartitionCount is < 1 or > 65536)
        {
            problems.Add($"{SectionName}:PartitionCount: must be between 1 and 65536");
        }

        if (LeaseLength <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:LeaseLength: must be positive");
        }

        if (RenewInterval <= TimeSpan.Zero || RenewInterval * 3 > LeaseLength)
        {
            problems.Add($"{SectionName}:RenewInterval: must be positive and at most a third of LeaseLength ({LeaseLength})");
        }

        if (SafetyMargin <= TimeSpan.Zero || SafetyMargin + RenewInterval >= LeaseLength)
        {
            problems.Add($"{SectionName}:SafetyMargin: must be positive and leave room for a renewal within LeaseLength");
        }

        if (SuspicionTimeout < RenewInterval * 2)
        {
            problems.Add($"{SectionName}:SuspicionTimeout: must be at least twice RenewInterval");
        }

        if (IdleCollectionAge <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:IdleCollectionAge: must be positive");
        }

        if (MaxActivations < 1)
        {
            problems.Add($"{SectionName}:MaxActivations: must be at least 1");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:CallTimeout: must be positive");
        }

        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttp)
        {
            problems.Add($"{SectionName}:Listen: '{Listen}' must be an http:// address (HTTP/2 without TLS, for a private network)");
        }
        else if (listen.Host is not ("localhost" or "0.0.0.0") && !System.Net.IPAddress.TryParse(listen.Host.Trim('[', ']'), out _))
        {
            problems.Add($"{SectionName}:Listen: '{listen.Host}' must be an IP address, localhost or 0.0.0.0");
        }

        if (AdvertisedAddress is { Length: > 0 } advertised && (!Uri.TryCreate(advertised, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{SectionName}:AdvertisedAddress: '{advertised}' must be an http:// address that other silos and gateways can reach");
        }

        return problems;
    }
}
