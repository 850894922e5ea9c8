using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Odock.Cluster.Tests;

/// <summary>A listener that speaks as a silo's cluster listener does (HTTP/2 only, prior knowledge) on a free loopback port.</summary>
internal static class LoopbackSilo
{
    /// <summary>Starts it with the routes <paramref name="map"/> adds; the address is what a partition directory would name.</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Urls.Single().TrimEnd('/'));
    }
}
