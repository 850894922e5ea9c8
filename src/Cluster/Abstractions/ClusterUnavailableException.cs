namespace Odock.Cluster;

/// <summary>
/// The call could not be completed before its deadline: no silo was serving the grain's partition, the owner was
/// unreachable, or the answer was lost. The call may or may not have run; retry with the same operation id.
/// Gateways turn this into 503 with Retry-After: nothing is ever admitted unchecked.
/// </summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException()
    {
    }

    public ClusterUnavailableException(string message)
        : base(message)
    {
    }

    public ClusterUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
