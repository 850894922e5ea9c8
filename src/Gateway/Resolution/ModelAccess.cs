using System.Net;
using Odock.Domain.Policies;
using Odock.Gateway.Errors;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Resolution;

/// <summary>
/// The conditions a model's policy puts on the request itself, whichever key sends it: <c>max_payload_bytes</c> on the
/// body as read, and <c>ip_allow</c> and <c>ip_block</c> on the client's address (<see cref="AddressRanges"/>, as for
/// keys). Ranges are parsed once, when the catalog is indexed.
/// </summary>
internal sealed class ModelAccess
{
    private readonly long? _maxPayloadBytes;
    private readonly AddressRanges _addresses;

    private ModelAccess(long? maxPayloadBytes, AddressRanges addresses)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _addresses = addresses;
    }

    /// <summary>The model's conditions, or null when its policy sets none (most models: nothing to check).</summary>
    public static ModelAccess? Of(ResourcePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var addresses = AddressRanges.Of(policy);
        return policy.MaxPayloadBytes is null && !addresses.RestrictsAddresses ? null : new ModelAccess(policy.MaxPayloadBytes, addresses);
    }

    /// <summary>413 for a body over the model's limit, 403 for an address its ranges refuse, or null.</summary>
    public GatewayError? Check(CatalogModel model, long bodyBytes, IPAddress? client)
    {
        if (_maxPayloadBytes is { } limit && bodyBytes > limit)
        {
            return new GatewayError(413, "payload_too_large", $"The request body of {bodyBytes} bytes exceeds the model '{model.Name}''s limit of {limit}.", "max_payload_bytes");
        }

        return _addresses.Allows(client)
            ? null
            : new GatewayError(403, "address_not_allowed", $"The model '{model.Name}' may not be used from {client?.ToString() ?? "an unknown address"}.");
    }
}
