using Odock.Domain.ApiKeys;
using Odock.Domain.Common;

namespace Odock.Domain.Tests;

public sealed class SecretTokenTests
{
    [Fact]
    public void Generated_keys_have_the_prefix_and_43_base62_characters_and_differ()
    {
        var first = SecretToken.Generate(ApiKey.SecretPrefix);
        var second = SecretToken.Generate(ApiKey.SecretPrefix);

        Assert.Matches("^odk-[0-9A-Za-z]{43}$", first);
        Assert.NotEqual(first, second);
        Assert.True(SecretToken.HasShape(first, ApiKey.SecretPrefix));
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretToken.Hash("abc"));
    }

    [Fact]
    public void Display_prefix_keeps_eight_characters_after_the_prefix()
    {
        Assert.Equal("odk-abcdefgh", SecretToken.DisplayPrefix("odk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", ApiKey.SecretPrefix));
    }

    [Theory]
    [InlineData("sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")]
    [InlineData("odk-short")]
    [InlineData("odk-abcdefghijklmnopqrstuvwxyz01234567_9ABCDEFG")]
    [InlineData(null)]
    public void Malformed_keys_do_not_have_the_shape(string? candidate)
    {
        Assert.False(SecretToken.HasShape(candidate, ApiKey.SecretPrefix));
    }
}
