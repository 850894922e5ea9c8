using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Providers;

/// <summary>
/// The time one request spent waiting on providers, summed over its attempts: from sending each call until its answer
/// started to arrive. Kept as a request feature so that whatever writes <c>x-odock-overhead-ms</c> can leave it out.
/// </summary>
internal sealed class UpstreamClock
{
    private long _elapsed;
    private long _since;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _elapsed + (_since == 0 ? 0 : Stopwatch.GetTimestamp() - _since));

    /// <summary>The request's clock, or null when nothing measures this request.</summary>
    public static UpstreamClock? Of(HttpContext context) => context.Features.Get<UpstreamClock>();

    public void Start() => _since = Stopwatch.GetTimestamp();

    public void Stop()
    {
        if (_since != 0)
        {
            _elapsed += Stopwatch.GetTimestamp() - _since;
            _since = 0;
        }
    }
}
