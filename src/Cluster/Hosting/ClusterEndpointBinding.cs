using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Odock.Cluster.Hosting;

/// <summary>The cluster listener once Kestrel has bound it (port 0 becomes a real port), to advertise in the membership table.</summary>
public sealed class ClusterEndpointBinding
{
    internal ListenOptions? Listener { get; set; }

    /// <summary>The base URL other silos and gateways call, or null before the listener is bound.</summary>
    public string? Address => Listener?.IPEndPoint is { Port: > 0 } endpoint
        ? $"http://{Advertise(endpoint.Address)}:{endpoint.Port}"
        : null;

    private static string Advertise(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            ? Dns.GetHostName()
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
