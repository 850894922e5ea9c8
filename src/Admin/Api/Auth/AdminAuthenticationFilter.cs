using Microsoft.AspNetCore.Http;

namespace Odock.Admin.Api.Auth;

/// <summary>Authenticates before the handler runs, so no admin endpoint can forget to.</summary>
internal sealed class AdminAuthenticationFilter(AdminAuthenticator authenticator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var principal = await authenticator.AuthenticateAsync(context.HttpContext).ConfigureAwait(false);
        principal.AttachTo(context.HttpContext);
        return await next(context).ConfigureAwait(false);
    }
}
