namespace Odock.Cluster.Activation;

/// <summary>
/// The moment a grain call gives up, measured on a <see cref="TimeProvider"/> from when the call began, and optionally
/// the caller's own cancellation. A plain value: it becomes a <see cref="CancellationTokenSource"/> (and a timer) only
/// for a wait, through <see cref="StartWaiting"/>, so an in-process call that can start at once, the usual case,
/// allocates nothing for its deadline.
/// </summary>
internal readonly struct CallDeadline
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _aborted;

    /// <param name="timeout">How long from now the call may take; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="aborted">Ends the call early too (a request whose caller went away).</param>
    public CallDeadline(TimeProvider time, TimeSpan timeout, CancellationToken aborted = default)
    {
        _time = time;
        _started = time.GetTimestamp();
        _timeout = timeout;
        _aborted = aborted;
    }

    /// <summary>The caller gave up.</summary>
    public bool IsAborted => _aborted.IsCancellationRequested;

    /// <summary>The deadline has passed by the clock, or the caller gave up.</summary>
    public bool HasPassed => IsAborted || (_timeout != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(_started) >= _timeout);

    /// <summary>Time left before the deadline, never negative; <see cref="Timeout.InfiniteTimeSpan"/> without one.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_timeout == Timeout.InfiniteTimeSpan)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var left = _timeout - _time.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>A source cancelled at the deadline, or when the caller gives up, for the waits of one call; the caller disposes it.</summary>
    public CancellationTokenSource StartWaiting()
    {
        if (!_aborted.CanBeCanceled)
        {
            return new CancellationTokenSource(Remaining, _time);
        }

        // Only the receiving end of a remote call brings its own token, and it measures on the system clock, as a linked source's timer does.
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
        linked.CancelAfter(Remaining);
        return linked;
    }
}
