using System.Globalization;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Providers.Mock;

/// <summary>
/// The mock provider's settings that make it behave like a real one on a bad day, for every call it answers:
/// <c>latency_ms</c> waits before the first byte, <c>fail_status</c> answers every call with that status (5xx as the
/// gateway's 502, as a real provider's failure would be).
/// </summary>
internal static class MockBehaviour
{
    /// <returns>The failure to answer with, or null to answer normally.</returns>
    /// <param name="clock">The request's provider-time clock, if anything measures it.</param>
    public static async Task<(GatewayError Error, ChatOutcome Outcome)?> SimulateAsync(IReadOnlyDictionary<string, string> settings, UpstreamClock? clock, TimeProvider time, CancellationToken cancellationToken)
    {
        if (settings.TryGetValue("latency_ms", out var latencyText) && int.TryParse(latencyText, CultureInfo.InvariantCulture, out var latency) && latency > 0)
        {
            // The simulated provider's own time: left out of Odock's overhead, as a real provider's would be.
            clock?.Start();
            await Task.Delay(TimeSpan.FromMilliseconds(latency), time, cancellationToken).ConfigureAwait(false);
            clock?.Stop();
        }

        if (settings.TryGetValue("fail_status", out var failText) && int.TryParse(failText, CultureInfo.InvariantCulture, out var failStatus) && failStatus >= 400)
        {
            var status = failStatus >= 500 ? 502 : failStatus;
            var code = failStatus >= 500 ? "upstream_error" : "upstream_client_error";
            return (new GatewayError(status, "upstream_error", $"The mock provider was told to fail with HTTP {failStatus}."), new ChatOutcome(status, default, false, code, null, 0));
        }

        return null;
    }
}
