using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Families;

namespace Odock.Gateway.Tests;

/// <summary>How a request's hosted tools are named, bounded and reserved, family by family.</summary>
public sealed class HostedToolUseTests
{
    private static readonly ModelPricing Prices = new()
    {
        Currency = "USD",
        HostedToolPrices = new Dictionary<string, decimal> { ["web_search"] = 0.01m, ["file_search"] = 0.0025m, ["google_search"] = 0.014m },
    };

    [Theory]
    [InlineData("web_search_20250305", "web_search")]
    [InlineData("web_search_preview_2025_03_11", "web_search")]
    [InlineData("web_search_preview", "web_search")]
    [InlineData("code_execution_20250825", "code_execution")]
    [InlineData("file_search", "file_search")]
    [InlineData("bash_20250124", "bash")]
    public void A_tools_name_drops_its_version(string type, string name) => Assert.Equal(name, HostedToolUse.NameOf(type));

    [Fact]
    public void Responses_tools_share_one_bound_reserved_at_the_dearest_priced_tool()
    {
        var body = Body("""{"tools":[{"type":"function","name":"f"},{"type":"file_search"},{"type":"web_search"}],"max_tool_calls":4}""");

        var hosted = HostedToolUse.FromResponses(body)!;

        Assert.Equal(["file_search", "web_search"], hosted.Tools.Select(t => t.Name));
        Assert.Equal(HostedToolCalls.Of("web_search", 4), hosted.WorstCase(Prices, 10));
        Assert.False(hosted.NeedsBound(Prices));
        Assert.Equal(HostedToolCalls.Of("web_search", 10), HostedToolUse.FromResponses(Body("""{"tools":[{"type":"web_search"}]}"""))!.WorstCase(Prices, 10));
        Assert.True(HostedToolUse.FromResponses(Body("""{"tools":[{"type":"web_search"}]}"""))!.NeedsBound(Prices));
    }

    [Fact]
    public void Anthropic_tools_are_bounded_each_by_its_own_max_uses()
    {
        var body = Body("""{"tools":[{"name":"mine","input_schema":{}},{"type":"web_search_20250305","name":"web_search","max_uses":3},{"type":"web_fetch_20250910","name":"web_fetch"}]}""");

        var hosted = HostedToolUse.FromAnthropic(body)!;

        Assert.Equal([("web_search", 3L, 1), ("web_fetch", (long?)null, 2)], hosted.Tools.Select(t => (t.Name, t.MaxUses, t.Index)));
        Assert.Equal(HostedToolCalls.Of("web_search", 3), hosted.WorstCase(Prices, 10));
        Assert.False(hosted.NeedsBound(Prices));
        Assert.True(hosted.CanBound(hosted.Tools[1]));
    }

    [Fact]
    public void Gemini_tools_take_no_bound_and_reserve_the_default()
    {
        var hosted = HostedToolUse.FromGemini(Body("""{"tools":[{"functionDeclarations":[]},{"googleSearch":{}},{"code_execution":{}}]}"""))!;

        Assert.Equal(["google_search", "code_execution"], hosted.Tools.Select(t => t.Name));
        Assert.Equal(ApiFamily.Gemini, hosted.Family);
        Assert.Equal(HostedToolCalls.Of("google_search", 10), hosted.WorstCase(Prices, 10));
        Assert.False(hosted.NeedsBound(Prices));
    }

    [Fact]
    public void A_chat_completions_search_reserves_one_web_search_and_needs_no_bound()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"model":"m","messages":[],"web_search_options":{}}""");

        var hosted = HostedToolUse.FromChatCompletions(document.RootElement)!;

        Assert.Equal(HostedToolCalls.Of("web_search", 1), hosted.WorstCase(Prices, 10));
        Assert.Equal(HostedToolCalls.Of("web_search", 1), hosted.CallsOfEachAnswer);
        Assert.False(hosted.NeedsBound(Prices));
        using var plain = System.Text.Json.JsonDocument.Parse("""{"model":"m","messages":[],"web_search_options":null}""");
        Assert.Null(HostedToolUse.FromChatCompletions(plain.RootElement));
    }

    [Fact]
    public void A_request_whose_tools_the_model_does_not_price_reserves_and_bounds_nothing()
    {
        var hosted = HostedToolUse.FromAnthropic(Body("""{"tools":[{"type":"web_search_20250305","name":"web_search"}]}"""))!;
        var free = new ModelPricing { Currency = "USD" };

        Assert.Null(hosted.WorstCase(free, 10));
        Assert.False(hosted.NeedsBound(free));
        Assert.Null(HostedToolUse.FromAnthropic(Body("""{"tools":[{"name":"mine","input_schema":{}}]}""")));
    }

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();
}
