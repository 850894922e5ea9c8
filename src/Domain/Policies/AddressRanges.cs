using System.Net;

namespace Odock.Domain.Policies;

/// <summary>
/// A policy's <c>ip_allow</c> and <c>ip_block</c>, parsed once: a blocked range wins; with allowed ranges set, an
/// address must be in one; with neither, every address may call. An IPv4 client that a dual-stack listener saw as an
/// IPv4-mapped IPv6 address is judged by its IPv4 address.
/// </summary>
public sealed class AddressRanges
{
    private static readonly AddressRanges Everyone = new([], []);

    private readonly IPNetwork[] _allow;
    private readonly IPNetwork[] _block;

    private AddressRanges(IPNetwork[] allow, IPNetwork[] block)
    {
        _allow = allow;
        _block = block;
    }

    /// <summary>False when the policy names no range, so every address may call.</summary>
    public bool RestrictsAddresses => _allow.Length > 0 || _block.Length > 0;

    /// <summary>The ranges of <paramref name="policy"/>, which its validation has checked are CIDR ranges.</summary>
    public static AddressRanges Of(ResourcePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.IpAllow.Count == 0 && policy.IpBlock.Count == 0
            ? Everyone
            : new([.. policy.IpAllow.Select(range => IPNetwork.Parse(range))], [.. policy.IpBlock.Select(range => IPNetwork.Parse(range))]);
    }

    /// <summary>Whether <paramref name="address"/> may call; an address that is not known may call only where no range is set.</summary>
    public bool Allows(IPAddress? address)
    {
        if (!RestrictsAddresses)
        {
            return true;
        }

        // IPNetwork.Contains itself judges an IPv4-mapped IPv6 address by its IPv4 address.
        return address is not null && !_block.Any(range => range.Contains(address)) && (_allow.Length == 0 || _allow.Any(range => range.Contains(address)));
    }
}
