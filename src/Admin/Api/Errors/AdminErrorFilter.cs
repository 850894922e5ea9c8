using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Odock.Admin.Api.Json;
using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Storage.Errors;

namespace Odock.Admin.Api.Errors;

/// <summary>
/// Turns every way a request can fail into <c>application/problem+json</c>: refusals the services decided, invalid
/// entities, storage conflicts (a taken name, something still in use, a row gone), changes an invoice's status refuses
/// and unreadable bodies.
/// </summary>
internal sealed partial class AdminErrorFilter(ILogger<AdminErrorFilter> logger) : IEndpointFilter
{
    public const string TypeBase = "urn:odock:problem:";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiProblemException problem)
        {
            if (problem.RetryAfter is { } retryAfter)
            {
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return Problem(context.HttpContext, problem.Status, problem.Title, problem.Message, problem.Errors);
        }
        catch (DomainValidationException invalid)
        {
            return Problem(context.HttpContext, 400, "Validation failed", invalid.Message, invalid.Problems);
        }
        catch (DuplicateEntityException duplicate)
        {
            return Problem(context.HttpContext, 409, "Conflict", $"A {Readable(duplicate.Entity)} with this name already exists.", []);
        }
        catch (EntityInUseException inUse)
        {
            LogConflict(logger, inUse.Entity, inUse.Message);
            return Problem(context.HttpContext, 409, "Conflict", inUse.Message.Replace('_', ' '), []);
        }
        catch (InvoiceStateException frozen)
        {
            return Problem(context.HttpContext, 409, "Conflict", frozen.Message, []);
        }
        catch (EntityNotFoundException gone)
        {
            return Problem(context.HttpContext, 404, "Not found", gone.Message, []);
        }
        catch (JsonException json)
        {
            var problem = JsonProblem.Describe(json);
            return Problem(context.HttpContext, 400, "Validation failed", $"{problem.Field}: {problem.Message}", [problem]);
        }
    }

    public static IResult Problem(HttpContext http, int status, string title, string detail, IReadOnlyList<ValidationProblem> errors)
    {
        ArgumentNullException.ThrowIfNull(http);
        var byField = errors.Count == 0
            ? null
            : errors.GroupBy(e => e.Field.Length == 0 ? "body" : e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        var document = new ProblemDocument(TypeBase + Slug(status), title, status, detail, http.Request.Path, byField);
        return Results.Json(document, AdminJson.Options, "application/problem+json", status);
    }

    private static string Slug(int status) => status switch
    {
        400 => "validation",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        423 => "locked",
        429 => "too-many-requests",
        _ => "error",
    };

    private static string Readable(string entity) => entity.Replace('_', ' ');

    [LoggerMessage(Level = LogLevel.Debug, Message = "Admin change refused by a reference constraint on {Entity}: {Detail}")]
    private static partial void LogConflict(ILogger logger, string entity, string detail);
}
