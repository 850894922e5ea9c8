using Odock.Domain.Policies;
using Odock.Grains.Governance;

namespace Odock.Grains.Limits;

/// <summary>
/// The live counters of one <see cref="ResourcePolicy"/> (a key's or a model's): exact sliding request windows,
/// sliding token windows, and the requests in flight. Request windows are stage 1 (before the body is read); tokens
/// and concurrency are stage 2 (after normalisation, when the estimate is known). Checks are all-or-nothing: a
/// request refused by one window is not counted in any other.
/// </summary>
public sealed class PolicyLimiter
{
    /// <summary>A slot whose request never completed (its gateway died) is freed after this long.</summary>
    public static readonly TimeSpan SlotLifetime = TimeSpan.FromMinutes(15);

    private readonly (string Name, SlidingLogLimiter Limiter)[] _requests;
    private readonly (string Name, TokenWindow Window)[] _tokens;
    private readonly long? _maxConcurrency;
    private Dictionary<string, InFlight>? _inFlight;

    public PolicyLimiter(ResourcePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _requests = new (string, long?, TimeSpan)[]
            {
                ("requests_per_second", policy.RequestsPerSecond, TimeSpan.FromSeconds(1)),
                ("requests_per_minute", policy.RequestsPerMinute, TimeSpan.FromMinutes(1)),
                ("requests_per_hour", policy.RequestsPerHour, TimeSpan.FromHours(1)),
                ("requests_per_day", policy.RequestsPerDay, TimeSpan.FromDays(1)),
            }
            .Where(l => l.Item2 is > 0)
            .Select(l => (l.Item1, new SlidingLogLimiter((int)Math.Min(int.MaxValue, l.Item2!.Value), l.Item3)))
            .ToArray();
        _tokens = new (string, long?, TimeSpan, int)[]
            {
                ("tokens_per_minute", policy.TokensPerMinute, TimeSpan.FromMinutes(1), 60),
                ("tokens_per_day", policy.TokensPerDay, TimeSpan.FromDays(1), 96),
            }
            .Where(l => l.Item2 is > 0)
            .Select(l => (l.Item1, new TokenWindow(l.Item2!.Value, l.Item3, l.Item4)))
            .ToArray();
        _maxConcurrency = policy.MaxConcurrency;
    }

    public int InFlightCount => _inFlight?.Count ?? 0;

    /// <summary>Stage 1: counts the request in every request window, or refuses naming the fullest one.</summary>
    public Refusal? TryAdmitRequest(DateTimeOffset now, string scope)
    {
        foreach (var (name, limiter) in _requests)
        {
            var decision = limiter.Peek(now);
            if (!decision.Allowed)
            {
                return new Refusal(RefusalReason.RateLimited, name, $"The {scope} allows {limiter.Limit} requests per {Describe(limiter.Window)}; retry in {Math.Ceiling(decision.RetryAfter.TotalSeconds)} s.", (long)Math.Ceiling(decision.RetryAfter.TotalMilliseconds));
            }
        }

        foreach (var (_, limiter) in _requests)
        {
            limiter.TryAcquire(now);
        }

        return null;
    }

    /// <summary>Stage 2: holds a concurrency slot and the token estimate for <paramref name="requestId"/>; idempotent per id.</summary>
    public Refusal? TryStart(string requestId, long estimatedTokens, DateTimeOffset now, string scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedTokens);
        ExpireSlots(now);
        if (_inFlight is not null && _inFlight.ContainsKey(requestId))
        {
            return null;
        }

        if (_maxConcurrency is { } max && InFlightCount >= max)
        {
            return new Refusal(RefusalReason.ConcurrencyLimited, "max_concurrency", $"The {scope} allows {max} requests in flight at once.", 1000);
        }

        foreach (var (name, window) in _tokens)
        {
            var decision = window.Peek(now, estimatedTokens);
            if (!decision.Allowed)
            {
                return new Refusal(RefusalReason.TokenLimited, name, $"The {scope} allows {window.Limit} tokens per {Describe(window.Window)}; this request is estimated at {estimatedTokens}.", (long)Math.Ceiling(decision.RetryAfter.TotalMilliseconds));
            }
        }

        foreach (var (_, window) in _tokens)
        {
            window.TryTake(now, estimatedTokens);
        }

        (_inFlight ??= new Dictionary<string, InFlight>(StringComparer.Ordinal))[requestId] = new InFlight(estimatedTokens, now + SlotLifetime);
        return null;
    }

    /// <summary>Frees the slot and replaces the estimate by the actual tokens. A second call for the same id does nothing.</summary>
    public bool Complete(string requestId, long actualTokens, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (_inFlight is null || !_inFlight.Remove(requestId, out var started))
        {
            return false;
        }

        var delta = Math.Max(0, actualTokens) - started.EstimatedTokens;
        if (delta != 0)
        {
            foreach (var (_, window) in _tokens)
            {
                window.Adjust(now, delta);
            }
        }

        return true;
    }

    private void ExpireSlots(DateTimeOffset now)
    {
        if (_inFlight is null || _inFlight.Count == 0)
        {
            return;
        }

        foreach (var (id, slot) in _inFlight)
        {
            if (slot.ExpiresAt <= now)
            {
                _inFlight.Remove(id);
            }
        }
    }

    private static string Describe(TimeSpan window) =>
        window == TimeSpan.FromSeconds(1) ? "second" : window == TimeSpan.FromMinutes(1) ? "minute" : window == TimeSpan.FromHours(1) ? "hour" : "day";

    private readonly record struct InFlight(long EstimatedTokens, DateTimeOffset ExpiresAt);
}
