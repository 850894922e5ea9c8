using Microsoft.AspNetCore.Http;
using Odock.Admin.Api.Json;

namespace Odock.Admin.Api.Auth;

/// <summary>One authenticated admin request as the services see it: who, from where, and its cancellation.</summary>
internal sealed record AdminCall(AdminPrincipal Principal, string ClientAddress, CancellationToken Cancellation)
{
    public static AdminCall From(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new AdminCall(AdminPrincipal.From(http), AdminRequests.ClientAddress(http), http.RequestAborted);
    }
}
