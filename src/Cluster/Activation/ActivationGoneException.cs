namespace Odock.Cluster.Activation;

/// <summary>The activation a call was queued on ended before the call ran; the catalog retries on a fresh activation.</summary>
internal sealed class ActivationGoneException : Exception
{
    public ActivationGoneException()
    {
    }

    public ActivationGoneException(string message)
        : base(message)
    {
    }

    public ActivationGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
