namespace Odock.Cluster.Activation;

/// <summary>This silo does not serve the grain's partition (never did, handed it off, or fenced itself).</summary>
internal sealed class NotOwnerException : Exception
{
    public NotOwnerException(int partition)
        : base($"This silo does not serve partition {partition}.")
    {
        Partition = partition;
    }

    public NotOwnerException()
    {
    }

    public NotOwnerException(string message)
        : base(message)
    {
    }

    public NotOwnerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Partition { get; }
}
