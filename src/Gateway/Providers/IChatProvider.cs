using Odock.Gateway.Families;

namespace Odock.Gateway.Providers;

/// <summary>
/// Sends one chat call to a provider and hands the answer to the client's sink, streaming chunk by chunk when asked.
/// Returns what happened, with the provider's own token counts.
/// </summary>
internal interface IChatProvider
{
    ValueTask<ChatOutcome> SendAsync(ChatCall call, IChatSink sink, CancellationToken cancellationToken);
}
