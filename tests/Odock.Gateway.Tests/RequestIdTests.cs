using Odock.Domain.Common;
using Odock.Gateway.Pipeline;

namespace Odock.Gateway.Tests;

/// <summary>
/// A request id is <c>req_</c> and its time-ordered id's 32 hex digits, spelled into one string: the same text as
/// joining the prefix to <see cref="Guid.ToString(string)"/> with <c>"N"</c>, which the families' own ids (Anthropic's
/// <c>msg_</c>, the Responses API's <c>resp_</c>) cut from it.
/// </summary>
public sealed class RequestIdTests
{
    [Fact]
    public void Request_ids_read_as_the_prefix_and_the_ids_hex_digits()
    {
        var start = DateTimeOffset.Parse("2026-11-24T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 1_000; i++)
        {
            var id = TimeOrderedId.Create(start.AddMilliseconds(i * 977));
            Assert.Equal("req_" + id.ToString("N"), RequestGate.RequestId(id));
        }

        Assert.Equal("req_00000000000000000000000000000000", RequestGate.RequestId(Guid.Empty));
        Assert.Equal("req_ffffffffffffffffffffffffffffffff", RequestGate.RequestId(Guid.AllBitsSet));
    }
}
