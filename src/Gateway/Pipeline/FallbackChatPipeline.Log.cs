using Microsoft.Extensions.Logging;

namespace Odock.Gateway.Pipeline;

internal sealed partial class FallbackChatPipeline
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} refused with 503: the governance cluster is unavailable ({Reason})")]
    private partial void LogGovernanceUnavailable(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not be settled with its budgets now ({Reason}); the ledger row carries its cost")]
    private partial void LogSettleFailed(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: model {Model} failed with {Status} before answering; trying the next model")]
    private partial void LogFallingBack(string requestId, string model, int status);
}
