namespace Odock.Cluster;

/// <summary>A grain method threw on a remote silo; carries the remote exception's type name and message.</summary>
public sealed class GrainCallException : Exception
{
    public GrainCallException(string remoteType, string message)
        : base(message)
    {
        RemoteType = remoteType;
    }

    public GrainCallException()
    {
        RemoteType = string.Empty;
    }

    public GrainCallException(string message)
        : base(message)
    {
        RemoteType = string.Empty;
    }

    public GrainCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteType = string.Empty;
    }

    /// <summary>The full name of the exception type thrown by the grain.</summary>
    public string RemoteType { get; }
}
