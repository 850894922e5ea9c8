using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Odock.Silo.Health;

/// <summary>
/// <c>/healthz</c>: the process is alive (no dependencies checked, so an orchestrator never restarts a healthy
/// process because the database blinked). <c>/readyz</c>: every check tagged "ready" passes; send traffic here.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void MapOdockHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(
            context.Response.Body,
            new HealthResponse(
                report.Status == HealthStatus.Healthy ? "ok" : "unavailable",
                report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description))),
            SiloJsonContext.Default.HealthResponse,
            context.RequestAborted);
    }
}
