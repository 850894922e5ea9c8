using Odock.Grains.Governance;

namespace Odock.Gateway.Errors;

/// <summary>An error the gateway answers with, before it is written in the calling API family's own shape.</summary>
internal sealed record GatewayError(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null)
{
    public static GatewayError From(Refusal refusal) => new(
        refusal.HttpStatus,
        RefusalReasons.WireName(refusal.Reason),
        refusal.Message,
        RetryAfter: refusal.RetryAfterMs > 0 ? refusal.RetryAfter : null);

    public static GatewayError BadRequest(string message, string? param = null) => new(400, "invalid_request_error", message, param);

    public static GatewayError ClusterUnavailable() =>
        new(503, "governance_unavailable", "Odock cannot reach its governance cluster right now; nothing was sent upstream.", RetryAfter: TimeSpan.FromSeconds(2));
}
