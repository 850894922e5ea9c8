using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Json;

namespace Odock.Admin.Api.Auth;

internal static class AuthEndpoints
{
    /// <summary>Sign-in needs no credential; it is mapped on the unauthenticated group.</summary>
    public static void MapLogin(RouteGroupBuilder open)
    {
        open.MapPost("/auth/login", async (HttpContext http, AuthService auth, AdminApiOptions options) =>
        {
            var request = await AdminRequests.ReadAsync<LoginRequest>(http).ConfigureAwait(false);
            var (secret, session) = await auth.LoginAsync(request, AdminRequests.ClientAddress(http), http.RequestAborted).ConfigureAwait(false);
            // Max-Age rather than Expires: relative to the browser's own clock, so clock skew cannot end a session early.
            http.Response.Cookies.Append(AdminApiOptions.CookieName, secret, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", MaxAge = options.SessionLifetime, IsEssential = true,
            });
            return AdminResults.Ok(session);
        })
        .Accepts<LoginRequest>("application/json").Produces<SessionResponse>().ProducesProblem(401).ProducesProblem(423).WithTags("auth");
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/auth/logout", async (HttpContext http, AuthService auth) =>
        {
            await auth.LogoutAsync(AdminCall.From(http)).ConfigureAwait(false);
            http.Response.Cookies.Delete(AdminApiOptions.CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, HttpOnly = true });
            return Results.NoContent();
        }).Produces(204).WithTags("auth");
        api.MapGet("/auth/me", async (HttpContext http, AuthService auth) => AdminResults.Ok(await auth.WhoAmIAsync(AdminCall.From(http)).ConfigureAwait(false)))
            .Produces<SessionResponse>().WithTags("auth");
        api.MapGet("/auth/tokens", async (HttpContext http, AuthService auth) => AdminResults.Ok(await auth.ListTokensAsync(AdminCall.From(http)).ConfigureAwait(false)))
            .Produces<IReadOnlyList<TokenResponse>>().WithTags("auth");
        api.MapPost("/auth/tokens", async (HttpContext http, AuthService auth) =>
        {
            var created = await auth.CreateTokenAsync(AdminCall.From(http), await AdminRequests.ReadAsync<CreateTokenRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/auth/tokens/{created.Token.Id}", created);
        }).Accepts<CreateTokenRequest>("application/json").Produces<CreatedTokenResponse>(201).ProducesValidationProblem().WithTags("auth");
        api.MapDelete("/auth/tokens/{id:guid}", async (HttpContext http, Guid id, AuthService auth) =>
            AdminResults.Ok(await auth.RevokeTokenAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<TokenResponse>().ProducesProblem(404).WithTags("auth");
    }
}
