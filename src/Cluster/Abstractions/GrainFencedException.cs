namespace Odock.Cluster;

/// <summary>
/// A state write was refused because a newer lease epoch owns the grain's partition (or, on SQLite, because another
/// writer changed the state). The activation has deactivated itself; the runtime retries the call on the new owner.
/// </summary>
public sealed class GrainFencedException : Exception
{
    public GrainFencedException()
    {
    }

    public GrainFencedException(string message)
        : base(message)
    {
    }

    public GrainFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
