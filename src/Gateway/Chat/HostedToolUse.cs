using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Domain.Pricing;
using Odock.Gateway.Families;

namespace Odock.Gateway.Chat;

/// <summary>
/// The provider's own tools a request turns on (OpenAI's built-in tools, Anthropic's server tools, Gemini's Google
/// Search and the like) and the bound the request sets on their calls. Each call is billed on top of tokens, so the
/// worst case reserves the most calls the request lets the provider make (<see cref="Pipeline.CallPlan"/>). Only the
/// client's own family runs these tools: every other provider refuses them (<see cref="ChatRequest.Untranslatable"/>).
/// </summary>
internal sealed class HostedToolUse
{
    private const string WebSearch = "web_search";

    private HostedToolUse(ApiFamily family, IReadOnlyList<HostedTool> tools, long? sharedLimit)
    {
        Family = family;
        Tools = tools;
        SharedLimit = sharedLimit;
    }

    /// <summary>Whose tools these are, which says how their calls are bounded.</summary>
    public ApiFamily Family { get; }

    /// <summary>Each tool the request turns on, by its name without version, with its own bound when it has one.</summary>
    public IReadOnlyList<HostedTool> Tools { get; }

    /// <summary>One bound on the calls of all the tools together: the Responses API's <c>max_tool_calls</c>.</summary>
    public long? SharedLimit { get; }

    /// <summary>
    /// The bound the provider applies when the request names none. OpenAI's Responses API takes one for all its
    /// tools; Anthropic's web search and web fetch take their own <c>max_uses</c>; Gemini's tools take none.
    /// </summary>
    public bool CanBound(HostedTool tool) => Family switch
    {
        ApiFamily.OpenAiResponses => true,
        ApiFamily.Anthropic => tool.Name is "web_search" or "web_fetch",
        _ => false,
    };

    /// <summary>
    /// The most calls of each tool the model prices that the request lets the provider make, where a tool the request
    /// leaves unbounded counts <paramref name="unbounded"/> calls. A bound shared by several tools is counted once, at
    /// the dearest of them. Null when the model prices none of them.
    /// </summary>
    public HostedToolCalls? WorstCase(ModelPricing prices, long unbounded)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var priced = Priced(prices).ToList();
        if (priced.Count == 0)
        {
            return null;
        }

        if (Family == ApiFamily.OpenAiResponses)
        {
            var dearest = priced.MaxBy(tool => PricingEngine.HostedToolRate(prices, tool.Name));
            return HostedToolCalls.Of(dearest.Name, SharedLimit ?? unbounded);
        }

        return HostedToolCalls.Of(priced.Select(tool => new KeyValuePair<string, long>(tool.Name, tool.MaxUses ?? unbounded)));
    }

    /// <summary>True when a tool the model prices has no bound of the request's own, so the provider must be sent one.</summary>
    public bool NeedsBound(ModelPricing prices) =>
        Priced(prices).Any(tool => CanBound(tool) && (Family == ApiFamily.OpenAiResponses ? SharedLimit : tool.MaxUses) is null);

    /// <summary>The tools whose calls the model charges for.</summary>
    private IEnumerable<HostedTool> Priced(ModelPricing prices) => Tools.Where(tool => PricingEngine.HostedToolRate(prices, tool.Name) > 0);

    /// <summary>
    /// The calls an answer made that the answer does not report: a Chat Completions search (<c>web_search_options</c>)
    /// is one web search for each answer, and says nothing of it. Null for the families whose answers count their own.
    /// </summary>
    public HostedToolCalls? CallsOfEachAnswer { get; private init; }

    /// <summary>
    /// A Chat Completions request with <c>web_search_options</c>: the search models run one web search for it, billed
    /// per call; or null.
    /// </summary>
    public static HostedToolUse? FromChatCompletions(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("web_search_options"u8, out var search) && search.ValueKind != JsonValueKind.Null
            ? new HostedToolUse(ApiFamily.OpenAi, [new HostedTool(WebSearch, 1, -1)], null) { CallsOfEachAnswer = HostedToolCalls.Of(WebSearch, 1) }
            : null;

    /// <summary>The built-in tools of a Responses API body (every tool but <c>function</c> and <c>custom</c>), or null.</summary>
    public static HostedToolUse? FromResponses(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tools = new List<HostedTool>();
        foreach (var (tool, index) in Each(body["tools"]))
        {
            if (Text(tool["type"]) is { } type && type is not ("function" or "custom"))
            {
                tools.Add(new HostedTool(NameOf(type), null, index));
            }
        }

        return tools.Count == 0 ? null : new HostedToolUse(ApiFamily.OpenAiResponses, tools, Bound(body["max_tool_calls"]));
    }

    /// <summary>The server tools of an Anthropic Messages body (a tool whose <c>type</c> is not <c>custom</c>), or null.</summary>
    public static HostedToolUse? FromAnthropic(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tools = new List<HostedTool>();
        foreach (var (tool, index) in Each(body["tools"]))
        {
            if (Text(tool["type"]) is { } type && type != "custom")
            {
                tools.Add(new HostedTool(NameOf(type), Bound(tool["max_uses"]), index));
            }
        }

        return tools.Count == 0 ? null : new HostedToolUse(ApiFamily.Anthropic, tools, null);
    }

    /// <summary>Gemini's own tools in a generateContent body (each key of a tool but <c>functionDeclarations</c>), or null.</summary>
    public static HostedToolUse? FromGemini(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tools = new List<HostedTool>();
        foreach (var (tool, index) in Each(body["tools"]))
        {
            foreach (var (key, _) in tool)
            {
                if (key is not ("functionDeclarations" or "function_declarations"))
                {
                    tools.Add(new HostedTool(Domain.Common.WireName.ToSnakeCase(key), null, index));
                }
            }
        }

        return tools.Count == 0 ? null : new HostedToolUse(ApiFamily.Gemini, tools, null);
    }

    /// <summary>
    /// A tool's name without its version: <c>web_search_20250305</c> and <c>web_search_preview_2025_03_11</c> are both
    /// <c>web_search</c>, which is how providers report and price their calls.
    /// </summary>
    public static string NameOf(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var parts = type.Split('_');
        var end = parts.Length;
        while (end > 1 && parts[end - 1].Length > 0 && parts[end - 1].All(char.IsAsciiDigit))
        {
            end--;
        }

        if (end > 1 && parts[end - 1] == "preview")
        {
            end--;
        }

        return string.Join('_', parts, 0, end);
    }

    private static IEnumerable<(JsonObject Tool, int Index)> Each(JsonNode? tools)
    {
        if (tools is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonObject tool)
                {
                    yield return (tool, i);
                }
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static long? Bound(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) && number >= 0 ? number : null;
}

/// <summary>One of the provider's own tools in a request: its name without version, its own bound, and its place in <c>tools</c>.</summary>
internal readonly record struct HostedTool(string Name, long? MaxUses, int Index);
