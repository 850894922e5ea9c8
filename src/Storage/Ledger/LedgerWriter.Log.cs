using Microsoft.Extensions.Logging;

namespace Odock.Storage.Ledger;

public sealed partial class LedgerWriter
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Usage ledger writer started; spool {SpoolPath} holds {PendingBytes} byte(s) to replay")]
    private partial void LogStarted(string spoolPath, long pendingBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage ledger writer stopped: {Written} written, {Spooled} spooled, {DeadLettered} dead-lettered, {PendingBytes} spool byte(s) left for the next start")]
    private partial void LogStopped(long written, long spooled, long deadLettered, long pendingBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database did not take {Count} usage record(s); they wait in {SpoolPath}, retried every {RetryInterval}: {Reason}")]
    private partial void LogDatabaseUnavailable(int count, string spoolPath, TimeSpan retryInterval, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The usage spool is replayed into the ledger and emptied ({Count} record(s) in the last run)")]
    private partial void LogReplayed(long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused the usage record of request {RequestId} for its data; it is kept in {DeadLetterPath}: {Reason}")]
    private partial void LogDeadLettered(string requestId, string deadLetterPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage queue stayed full for {Timeout}; the record of request {RequestId} went straight to the spool")]
    private partial void LogOverflowed(string requestId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage record of request {RequestId} arrived after the writer stopped; it went to the spool for the next start")]
    private partial void LogArrivedAfterStop(string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} usage record(s) to the spool {SpoolPath}: {Reason}")]
    private partial void LogSpoolFailed(int count, string spoolPath, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Shutting down with {Count} usage record(s) that neither the database nor the spool file would take")]
    private partial void LogLost(int count);
}
