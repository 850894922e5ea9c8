using Microsoft.Extensions.Logging;

namespace Odock.Gateway.Pipeline;

internal sealed partial class FallbackChatPipeline
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: model {Model} failed with {Status} before answering; trying the next model")]
    private partial void LogFallingBack(string requestId, string model, int status);
}
