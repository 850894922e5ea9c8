using Odock.Domain.Usage;

namespace Odock.Domain.Tests;

public sealed class UsageErrorClassifierTests
{
    [Theory]
    [InlineData(200, null, null)]
    [InlineData(302, null, null)]
    [InlineData(400, "invalid_request_error", UsageErrorClass.Request)]
    [InlineData(403, "model_not_allowed", UsageErrorClass.Request)]
    [InlineData(413, "payload_too_large", UsageErrorClass.Request)]
    [InlineData(402, "budget_exceeded", UsageErrorClass.Limit)]
    [InlineData(429, "rate_limit_exceeded", UsageErrorClass.Limit)]
    [InlineData(502, "upstream_error", UsageErrorClass.Upstream)]
    [InlineData(504, "upstream_timeout", UsageErrorClass.Upstream)]
    [InlineData(400, "upstream_client_error", UsageErrorClass.Upstream)]
    [InlineData(499, "client_disconnected", UsageErrorClass.ClientDisconnected)]
    [InlineData(503, "cluster_unavailable", UsageErrorClass.Gateway)]
    [InlineData(501, "provider_not_supported", UsageErrorClass.Gateway)]
    public void A_failure_is_classed_by_whose_it_is(int status, string? code, UsageErrorClass? expected)
    {
        Assert.Equal(expected, UsageErrorClassifier.Classify(status, code));
    }
}
