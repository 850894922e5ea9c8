namespace Odock.Cluster.Transport;

internal enum RemoteCallOutcome
{
    /// <summary>The grain answered; the body is the result.</summary>
    Completed,
    /// <summary>The silo does not serve the partition (or fenced itself); the call did not run.</summary>
    NotOwner,
    /// <summary>The grain method threw; the body describes the exception.</summary>
    Failed,
    /// <summary>No connection could be made; the call did not run.</summary>
    Unreachable,
    /// <summary>The request may have reached the silo but no answer came before the deadline.</summary>
    Lost,
}
