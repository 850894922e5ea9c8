using Odock.Domain.Common;
using Odock.Domain.Mcp;
using Odock.Domain.Models;
using Odock.Domain.Providers;
using Odock.Domain.Users;

namespace Odock.Domain.Tests;

public sealed class WireNameTests
{
    [Theory]
    [InlineData(ProviderType.OpenAi, "openai")]
    [InlineData(ProviderType.AzureOpenAi, "azure_openai")]
    [InlineData(ProviderType.OpenAiCompatible, "openai_compatible")]
    [InlineData(ProviderType.Vllm, "vllm")]
    [InlineData(ProviderType.Mock, "mock")]
    public void Provider_types_have_the_names_users_write(ProviderType type, string expected)
    {
        Assert.Equal(expected, WireName.Of(type));
        Assert.Equal(type, WireName.Parse<ProviderType>(expected.ToUpperInvariant()));
    }

    [Fact]
    public void Multi_word_members_become_snake_case()
    {
        Assert.Equal("tool_use", WireName.Of(ModelCapability.ToolUse));
        Assert.Equal("streamable_http", WireName.Of(McpTransport.StreamableHttp));
        Assert.Equal("organisation_admin", WireName.Of(UserRole.OrganisationAdmin));
    }

    [Fact]
    public void Unknown_name_lists_the_choices()
    {
        var error = Assert.Throws<FormatException>(() => WireName.Parse<McpTransport>("websocket"));

        Assert.Contains("sse, stdio, streamable_http", error.Message, StringComparison.Ordinal);
    }
}
