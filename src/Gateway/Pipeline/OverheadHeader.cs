using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Common;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// <c>x-odock-overhead-ms</c>: the time the request spent in Odock before its answer started, leaving out the time
/// spent waiting on providers. It is computed when the response headers go out, so it includes what Odock did after
/// the provider answered (reading, translating, checking) for a whole answer; a stream's headers go out before its
/// first event, so there it covers everything up to that point.
/// </summary>
internal static class OverheadHeader
{
    public const string Name = "x-odock-overhead-ms";

    /// <summary>Starts measuring provider time for the request and sets the header when its response starts.</summary>
    public static void Attach(HttpContext context, long started)
    {
        if (UpstreamClock.Of(context) is not null)
        {
            // A request that falls back to another model attaches once per attempt; its first clock sums them all.
            return;
        }

        var clock = new UpstreamClock();
        context.Features.Set(clock);
        context.Response.OnStarting(static state => ((Stamp)state).Write(), new Stamp(context, started, clock));
    }

    /// <summary>
    /// Milliseconds with at most three places and no trailing zeros (<c>0.412</c>, <c>3</c>), the spelling of
    /// <c>"0.###"</c> without interpreting a custom format on every response.
    /// </summary>
    internal static string Format(TimeSpan overhead) =>
        DecimalText.ToString(Math.Round((decimal)Math.Max(0, overhead.TotalMilliseconds), 3, MidpointRounding.AwayFromZero));

    private sealed class Stamp(HttpContext context, long started, UpstreamClock clock)
    {
        public Task Write()
        {
            context.Response.Headers[Name] = Format(Stopwatch.GetElapsedTime(started) - clock.Elapsed);
            return Task.CompletedTask;
        }
    }
}
