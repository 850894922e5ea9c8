namespace Odock.Testing.Cluster;

/// <summary>
/// The system clock, except that its monotonic timestamp can be frozen: what a silo observes during a VM freeze or
/// a long GC pause. A frozen silo believes no time has passed, so it keeps serving past its real fencing deadline,
/// which is exactly the case database fencing must catch.
/// </summary>
public sealed class PausableTimeProvider : TimeProvider
{
    private long _frozenAt;
    private long _offset;

    public bool IsFrozen => Interlocked.Read(ref _frozenAt) != 0;

    public void Freeze() => Interlocked.Exchange(ref _frozenAt, System.GetTimestamp() - Interlocked.Read(ref _offset));

    /// <summary>Resumes; the time spent frozen is never observed (the clock continues from where it stopped).</summary>
    public void Thaw()
    {
        var frozenAt = Interlocked.Exchange(ref _frozenAt, 0);
        if (frozenAt != 0)
        {
            Interlocked.Exchange(ref _offset, System.GetTimestamp() - frozenAt);
        }
    }

    public override long GetTimestamp()
    {
        var frozenAt = Interlocked.Read(ref _frozenAt);
        return frozenAt != 0 ? frozenAt : System.GetTimestamp() - Interlocked.Read(ref _offset);
    }

    public override long TimestampFrequency => System.TimestampFrequency;
}
