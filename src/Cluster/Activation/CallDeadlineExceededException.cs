namespace Odock.Cluster.Activation;

/// <summary>
/// A call's deadline passed (or its caller gave up) while it waited for an activation or a turn. An
/// <see cref="OperationCanceledException"/>, told apart from cancellations raised by grain code.
/// </summary>
internal sealed class CallDeadlineExceededException : OperationCanceledException
{
    public CallDeadlineExceededException(CancellationToken token)
        : base("The call's deadline passed while it waited to run.", token)
    {
    }

    public CallDeadlineExceededException()
    {
    }

    public CallDeadlineExceededException(string message)
        : base(message)
    {
    }

    public CallDeadlineExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
