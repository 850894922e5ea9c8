namespace Odock.Domain.Usage;

/// <summary>Derives a ledger row's <see cref="UsageErrorClass"/> from what every producer already knows: status and error code.</summary>
public static class UsageErrorClassifier
{
    public static UsageErrorClass? Classify(int httpStatus, string? errorCode)
    {
        if (httpStatus is >= 200 and < 400)
        {
            return null;
        }

        if (httpStatus == 499 || errorCode == "client_disconnected")
        {
            return UsageErrorClass.ClientDisconnected;
        }

        if (errorCode is not null && errorCode.StartsWith("upstream", StringComparison.Ordinal))
        {
            return UsageErrorClass.Upstream;
        }

        return httpStatus switch
        {
            402 or 429 => UsageErrorClass.Limit,
            502 or 504 => UsageErrorClass.Upstream,
            >= 500 => UsageErrorClass.Gateway,
            _ => UsageErrorClass.Request,
        };
    }
}
