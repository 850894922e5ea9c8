using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Providers;

/// <summary>
/// Sends one chat call to a provider and writes the answer to the client in the client's format, streaming chunk by
/// chunk when asked. Returns what happened, with the provider's own token counts.
/// </summary>
internal interface IChatProvider
{
    Task<ChatOutcome> SendAsync(ChatCall call, HttpContext client, CancellationToken cancellationToken);
}
