using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster.Activation;
using Odock.Cluster.Hosting;
using Odock.Cluster.Transport;

namespace Odock.Cluster;

public static class ClusterEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /cluster</c> (members, partitions, activation counts) and, on silos, the grain-call endpoints (one call, or a
    /// batch) that other processes reach over the cluster listener.
    /// </summary>
    public static IEndpointRouteBuilder MapOdockClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/cluster", async (ClusterStatusReader reader, HttpContext context) =>
            Results.Json(await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false), ClusterStatusJsonContext.Default.ClusterStatus));
        if (endpoints.ServiceProvider.GetService<ClusterEndpointBinding>() is not null)
        {
            endpoints.MapPost(ClusterProtocol.CallPath, (HttpContext context, ActivationCatalog catalog, ClusterEndpointBinding binding) =>
                context.Connection.LocalPort == binding.Listener?.IPEndPoint?.Port
                    ? GrainCallEndpoint.HandleAsync(context, catalog)
                    : Results.NotFound().ExecuteAsync(context));
            endpoints.MapPost(ClusterProtocol.BatchPath, (HttpContext context, ActivationCatalog catalog, ClusterEndpointBinding binding) =>
                context.Connection.LocalPort == binding.Listener?.IPEndPoint?.Port
                    ? GrainCallEndpoint.HandleBatchAsync(context, catalog)
                    : Results.NotFound().ExecuteAsync(context));
        }

        return endpoints;
    }

    /// <summary>Adds the silo-to-silo listener: HTTP/2 only (prior knowledge), on <see cref="ClusterOptions.Listen"/>.</summary>
    public static void ListenForCluster(this KestrelServerOptions kestrel, ClusterOptions options, ClusterEndpointBinding binding)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(binding);
        var uri = new Uri(options.Listen);
        var address = uri.Host is "localhost" ? System.Net.IPAddress.Loopback
            : uri.Host is "*" or "+" or "0.0.0.0" ? System.Net.IPAddress.Any
            : System.Net.IPAddress.Parse(uri.Host.Trim('[', ']'));
        kestrel.Listen(address, uri.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            binding.Listener = listen;
        });
    }
}
