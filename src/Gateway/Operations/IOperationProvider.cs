using Odock.Gateway.Providers;

namespace Odock.Gateway.Operations;

/// <summary>Sends one non-chat call to a provider and writes the answer through the call's surface; returns what it used.</summary>
internal interface IOperationProvider
{
    Task<ChatOutcome> SendAsync(OperationCall call, CancellationToken cancellationToken);
}
