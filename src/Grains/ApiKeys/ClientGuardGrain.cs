using Odock.Cluster;
using Odock.Grains.Limits;

namespace Odock.Grains.ApiKeys;

/// <summary>At most <see cref="FailuresPerWindow"/> failures per minute; the next one blocks the address for <see cref="BlockLength"/>.</summary>
internal sealed class ClientGuardGrain(TimeProvider time) : Grain, IClientGuardGrain
{
    public const int FailuresPerWindow = 20;
    public static readonly TimeSpan BlockLength = TimeSpan.FromMinutes(1);

    private readonly SlidingLogLimiter _failures = new(FailuresPerWindow, TimeSpan.FromMinutes(1));
    private DateTimeOffset _blockedUntil;

    public Task<long> RecordFailure()
    {
        var now = time.GetUtcNow();
        if (!_failures.TryAcquire(now).Allowed)
        {
            _blockedUntil = now + BlockLength;
        }

        return BlockedForMs();
    }

    public Task<long> BlockedForMs()
    {
        var left = _blockedUntil - time.GetUtcNow();
        return Task.FromResult(left > TimeSpan.Zero ? (long)Math.Ceiling(left.TotalMilliseconds) : 0L);
    }
}
