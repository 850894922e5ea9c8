using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary><c>POST /odock/v1/chat</c> as an endpoint: its name in the ledger and Odock's own error shape.</summary>
internal sealed class OdockChatSurface : IApiSurface
{
    public static OdockChatSurface Instance { get; } = new();

    public string Endpoint => "odock.chat";

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => OdockErrorWriter.WriteAsync(context, error);
}
