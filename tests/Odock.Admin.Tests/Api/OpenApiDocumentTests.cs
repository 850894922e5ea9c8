using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Odock.Admin.Tests.Api;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_openapi_document_lists_every_admin_route_and_method()
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.Anonymous().GetAsync("openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        var documented = paths.SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}")).ToHashSet(StringComparer.Ordinal);
        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/admin/v1/", StringComparison.Ordinal) && !e.RoutePattern.RawText.Contains("{documentName}", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToArray();

        Assert.True(routes.Length > 30, $"only {routes.Length} routes found");
        Assert.All(routes, route => Assert.Contains(route, documented));
    }

    private static string Normalise(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.TrimEnd('/'), "{([A-Za-z]+):[a-z]+}", "{$1}");
}
