using System.Net;
using Odock.Domain.Policies;

namespace Odock.Domain.Tests;

public sealed class ResourcePolicyTests
{
    [Fact]
    public void Blocked_range_wins_over_allowed_range()
    {
        var policy = new ResourcePolicy { IpAllow = ["10.0.0.0/8"], IpBlock = ["10.1.0.0/16"] };

        Assert.True(policy.AllowsAddress(IPAddress.Parse("10.2.3.4")));
        Assert.False(policy.AllowsAddress(IPAddress.Parse("10.1.3.4")));
        Assert.False(policy.AllowsAddress(IPAddress.Parse("192.168.1.1")));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_addresses_match_ipv4_ranges()
    {
        var policy = new ResourcePolicy { IpAllow = ["127.0.0.0/8"] };

        Assert.True(policy.AllowsAddress(IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public void Empty_policy_allows_everyone()
    {
        Assert.True(ResourcePolicy.None.AllowsAddress(IPAddress.IPv6Loopback));
        Assert.True(new ResourcePolicy().IsEmpty);
    }

    [Fact]
    public void Bad_ranges_and_non_positive_limits_are_named()
    {
        var problems = new ResourcePolicy { IpAllow = ["10.0.0.0/8", "not-a-range"], RequestsPerMinute = 0 }.Validate();

        Assert.Equal(["ip_allow[1]", "requests_per_minute"], problems.Select(p => p.Field));
    }

    public static TheoryData<ResourcePolicy, bool> TrafficLimits => new()
    {
        { ResourcePolicy.None, false },
        { new ResourcePolicy { IpAllow = ["10.0.0.0/8"], MaxPayloadBytes = 1024, MaxTokensPerRequest = 100 }, false },
        { new ResourcePolicy { RequestsPerSecond = 5 }, true },
        { new ResourcePolicy { RequestsPerMinute = 5 }, true },
        { new ResourcePolicy { RequestsPerHour = 5 }, true },
        { new ResourcePolicy { RequestsPerDay = 5 }, true },
        { new ResourcePolicy { TokensPerMinute = 5 }, true },
        { new ResourcePolicy { TokensPerDay = 5 }, true },
        { new ResourcePolicy { MaxConcurrency = 1 }, true },
    };

    [Theory]
    [MemberData(nameof(TrafficLimits))]
    public void Only_rates_tokens_and_concurrency_need_live_counters(ResourcePolicy policy, bool limitsTraffic)
    {
        Assert.Equal(limitsTraffic, policy.LimitsTraffic);
    }
}
