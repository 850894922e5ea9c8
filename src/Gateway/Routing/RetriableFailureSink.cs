using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Routing;

/// <summary>
/// A sink for every attempt but the last of a fallback list: a failure that another model may not share (the provider
/// failed, timed out, could not be reached, or was rate limited) is held back instead of written, as long as nothing
/// has reached the client yet, so the next model can answer in its place. Everything else goes to the client's sink.
/// </summary>
internal sealed class RetriableFailureSink(IChatSink inner) : IChatSink
{
    /// <summary>Whether a failure was held back; false when the attempt answered the client or failed in a way that is final.</summary>
    public bool HeldBack { get; private set; }

    public HttpResponse Response => inner.Response;

    public Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken) => inner.WriteCompletionAsync(completion, cancellationToken);

    public Task StartStreamAsync(CancellationToken cancellationToken) => inner.StartStreamAsync(cancellationToken);

    public Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) => inner.WriteChunkAsync(chunk, cancellationToken);

    public Task EndStreamAsync(CancellationToken cancellationToken) => inner.EndStreamAsync(cancellationToken);

    public Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (CanHoldBack(status))
        {
            HeldBack = true;
            return Task.CompletedTask;
        }

        return inner.WriteProviderErrorAsync(status, body, cancellationToken);
    }

    public Task WriteErrorAsync(GatewayError error)
    {
        if (CanHoldBack(error.Status))
        {
            HeldBack = true;
            return Task.CompletedTask;
        }

        return inner.WriteErrorAsync(error);
    }

    private bool CanHoldBack(int status) => IsRetriable(status) && !inner.Response.HasStarted;

    private static bool IsRetriable(int status) => status is >= 500 or StatusCodes.Status429TooManyRequests;
}
