namespace Odock.Cluster.Transport;

/// <summary>The silo-to-silo HTTP/2 wire contract.</summary>
internal static class ClusterProtocol
{
    public const string CallPath = "/odock/cluster/v1/call";

    /// <summary>Several calls in one request (<see cref="CallFrames"/>), run side by side; answered 200 with one frame per call.</summary>
    public const string BatchPath = "/odock/cluster/v1/calls";

    /// <summary>The most calls one batch request carries; a caller with more sends several.</summary>
    public const int MaxBatchCalls = 64;

    /// <summary>Milliseconds the caller will still wait; the silo gives up at the same moment.</summary>
    public const string DeadlineHeader = "odock-deadline-ms";

    /// <summary>421: this silo does not serve the partition; refresh the map and go elsewhere.</summary>
    public const int NotOwnerStatus = 421;

    /// <summary>503: the activation was fenced or the silo is stopping; the call did not complete and may be retried.</summary>
    public const int RetryStatus = 503;

    /// <summary>500: the grain method threw; the body names the exception.</summary>
    public const int GrainErrorStatus = 500;

    /// <summary>400: the call could not be read (unknown grain type or method, bad arguments); it did not run.</summary>
    public const int MalformedCallStatus = 400;

    /// <summary>What the status a call (or a batch) was answered with means to its caller.</summary>
    public static RemoteCallOutcome OutcomeOf(int status) => status switch
    {
        200 => RemoteCallOutcome.Completed,
        NotOwnerStatus or RetryStatus => RemoteCallOutcome.NotOwner,
        GrainErrorStatus or MalformedCallStatus => RemoteCallOutcome.Failed,
        _ => RemoteCallOutcome.Lost,
    };
}
