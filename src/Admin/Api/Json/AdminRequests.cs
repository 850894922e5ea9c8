using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Admin.Api.Errors;

namespace Odock.Admin.Api.Json;

/// <summary>Reads a JSON request body once, at the edge, with a problem naming the field when it cannot be read.</summary>
internal static class AdminRequests
{
    public static async Task<T> ReadAsync<T>(HttpContext http)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.HasJsonContentType())
        {
            throw new ApiProblemException(415, "Unsupported media type", "The body must be JSON (Content-Type: application/json).");
        }

        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, AdminJson.Options, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex) when (ex.Path is null or "$")
        {
            var problem = JsonProblem.Describe(ex);
            throw ApiProblemException.Invalid(problem.Field, problem.Message);
        }

        return body ?? throw ApiProblemException.Invalid("body", "is required");
    }

    /// <summary>The client address the audit log records: the connection's peer (a proxy in front should be configured with forwarded headers).</summary>
    public static string ClientAddress(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";
    }
}
