using Microsoft.AspNetCore.Http;

namespace Odock.Admin.Api.Json;

/// <summary>Success answers in the admin API's JSON.</summary>
internal static class AdminResults
{
    public static IResult Ok<T>(T value) => Results.Json(value, AdminJson.Options);

    public static IResult Created<T>(HttpContext http, string location, T value)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.Location = location;
        return Results.Json(value, AdminJson.Options, statusCode: StatusCodes.Status201Created);
    }
}
