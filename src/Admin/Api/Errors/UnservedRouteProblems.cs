using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Odock.Admin.Api.Errors;

/// <summary>
/// Under the admin API's base path, a path no route serves (an empty 404) or a method its route does not take (an
/// empty 405) is answered with a problem document naming what was asked, as every other refusal is. It runs around
/// the whole pipeline and changes only answers that have no body yet, so routing chooses exactly as it would without
/// it.
/// </summary>
internal sealed class UnservedRouteProblems : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            await nextMiddleware(context).ConfigureAwait(false);
            var response = context.Response;
            if (response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed && !response.HasStarted && response.ContentType is null
                && context.Request.Path.StartsWithSegments(AdminApiServiceCollectionExtensions.BasePath, StringComparison.Ordinal))
            {
                var detail = response.StatusCode == StatusCodes.Status404NotFound
                    ? $"The admin API serves no {context.Request.Path}; its OpenAPI document at {AdminApiServiceCollectionExtensions.BasePath}/openapi.json lists every route."
                    : $"{context.Request.Path} does not take {context.Request.Method}; its OpenAPI document at {AdminApiServiceCollectionExtensions.BasePath}/openapi.json lists the methods of every route.";
                var title = response.StatusCode == StatusCodes.Status404NotFound ? "Not found" : "Method not allowed";
                await AdminErrorFilter.Problem(context, response.StatusCode, title, detail, []).ExecuteAsync(context).ConfigureAwait(false);
            }
        });
        next(app);
    };
}
