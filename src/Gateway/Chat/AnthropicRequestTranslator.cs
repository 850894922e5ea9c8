using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads <c>POST /v1/messages</c> bodies into the internal (OpenAI chat) form, keeping the original for Anthropic
/// providers: system prompt, text and image blocks, tool definitions and choice, tool use and tool results, stop
/// sequences and sampling parameters. What only Anthropic runs (its server tools, such as <c>web_search</c> and
/// <c>code_execution</c>, and its client tools with a fixed schema, such as <c>bash</c>; remote MCP servers; a code
/// execution container) has no counterpart elsewhere: it is noted as <see cref="ChatRequest.Untranslatable"/>, so
/// every other provider refuses it with a 400 naming the field rather than the model seeing a function by that name.
/// </summary>
internal static class AnthropicRequestTranslator
{
    private static readonly string[] PassedHeaders = ["anthropic-version", "anthropic-beta"];
    private static readonly string[] SamplingFields = ["temperature", "top_p"];

    /// <param name="forCounting">A <c>count_tokens</c> body, which has no <c>max_tokens</c>.</param>
    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http, bool forCounting = false)
    {
        try
        {
            return Translate(body, http, forCounting);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type deep inside a block (a number where a string belongs).
            return Fail($"A field has the wrong type: {ex.Message}");
        }
    }

    private static (ChatRequest? Request, GatewayError? Error) Translate(ReadOnlyMemory<byte> body, HttpRequest http, bool forCounting)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            return Fail($"The request body is not valid JSON: {ex.Message}");
        }

        if (node is not JsonObject root)
        {
            return Fail("The request body must be a JSON object.");
        }

        if (root["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model) || string.IsNullOrWhiteSpace(model))
        {
            return Fail("model: Field required, a string naming an Odock model.");
        }

        long maxTokens = 0;
        if ((!forCounting || root["max_tokens"] is not null)
            && (root["max_tokens"] is not JsonValue maxValue || !maxValue.TryGetValue(out maxTokens) || maxTokens < 1))
        {
            return Fail("max_tokens: Field required, a positive integer.");
        }

        if (root["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return Fail("messages: Field required, a non-empty array.");
        }

        var stream = false;
        if (root["stream"] is { } streamNode && (streamNode is not JsonValue streamValue || !streamValue.TryGetValue(out stream)))
        {
            return Fail("stream: Input should be a valid boolean.");
        }

        var translated = new JsonObject { ["model"] = model, ["stream"] = stream };
        if (maxTokens > 0)
        {
            translated["max_tokens"] = maxTokens;
        }

        var chat = new JsonArray();
        if (SystemText(root["system"]) is { Length: > 0 } system)
        {
            chat.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var error = TranslateMessage(messages[i], i, chat);
            if (error is not null)
            {
                return Fail(error);
            }
        }

        translated["messages"] = chat;
        CopySampling(root, translated);
        if (root["tools"] is JsonArray tools)
        {
            translated["tools"] = new JsonArray(tools.Select(ToFunction).ToArray());
        }

        if (ToolChoice(root["tool_choice"]) is { } choice)
        {
            translated["tool_choice"] = choice;
        }

        return (new ChatRequest
        {
            Untranslatable = AnthropicOnly(root),
            Family = ApiFamily.Anthropic,
            Body = translated,
            NativeBody = root,
            HostedTools = HostedToolUse.FromAnthropic(root),
            NativeHeaders = PassedHeaders.Where(h => http.Headers.ContainsKey(h)).ToDictionary(h => h, h => http.Headers[h].ToString(), StringComparer.OrdinalIgnoreCase),
            Model = model,
            Stream = stream,
            MaxOutputTokens = maxTokens > 0 ? maxTokens : null,
            EstimatedInputTokens = TokenEstimator.Estimate(translated),
        }, null);
    }

    private static string? TranslateMessage(JsonNode? message, int index, JsonArray chat)
    {
        if (message is not JsonObject item || item["role"] is not JsonValue roleValue || !roleValue.TryGetValue<string>(out var role) || role is not ("user" or "assistant"))
        {
            return $"messages.{index}: each message needs a role of 'user' or 'assistant'.";
        }

        switch (item["content"])
        {
            case JsonValue text when text.TryGetValue<string>(out var content):
                chat.Add(new JsonObject { ["role"] = role, ["content"] = content });
                return null;
            case JsonArray blocks:
                return TranslateBlocks(role, blocks, index, chat);
            default:
                return $"messages.{index}.content: must be a string or an array of content blocks.";
        }
    }

    private static string? TranslateBlocks(string role, JsonArray blocks, int index, JsonArray chat)
    {
        var parts = new JsonArray();
        var toolCalls = new JsonArray();
        foreach (var block in blocks)
        {
            var type = (block?["type"] as JsonValue)?.GetValue<string>();
            switch (type)
            {
                case "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = block!["text"]?.GetValue<string>() ?? "" });
                    break;
                case "image" when block!["source"] is JsonObject source:
                    var url = source["type"]?.GetValue<string>() == "url"
                        ? source["url"]?.GetValue<string>()
                        : $"data:{source["media_type"]?.GetValue<string>()};base64,{source["data"]?.GetValue<string>()}";
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    break;
                case "tool_use":
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = block!["id"]?.GetValue<string>(),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = block["name"]?.GetValue<string>(), ["arguments"] = block["input"]?.ToJsonString() ?? "{}" },
                    });
                    break;
                case "tool_result":
                    chat.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = block!["tool_use_id"]?.GetValue<string>(), ["content"] = ToolResultText(block["content"]) });
                    break;
                default:
                    return $"messages.{index}.content: unsupported block type '{type}'.";
            }
        }

        if (parts.Count > 0 || toolCalls.Count > 0)
        {
            var message = new JsonObject { ["role"] = role };
            message["content"] = parts.All(p => p!["type"]!.GetValue<string>() == "text")
                ? string.Concat(parts.Select(p => p!["text"]!.GetValue<string>()))
                : parts;
            if (toolCalls.Count > 0)
            {
                message["tool_calls"] = toolCalls;
            }

            chat.Add(message);
        }

        return null;
    }

    private static string ToolResultText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray blocks => string.Concat(blocks.Select(b => b?["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "")),
        _ => "",
    };

    private static string? SystemText(JsonNode? system) => system switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray blocks => string.Join("\n", blocks.Select(b => b?["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "")),
        _ => null,
    };

    private static void CopySampling(JsonObject root, JsonObject translated)
    {
        foreach (var field in SamplingFields)
        {
            if (root[field] is { } value)
            {
                translated[field] = value.DeepClone();
            }
        }

        if (root["stop_sequences"] is JsonArray stops)
        {
            translated["stop"] = stops.DeepClone();
        }
    }

    private static JsonNode ToFunction(JsonNode? tool) => new JsonObject
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = tool?["name"]?.DeepClone(),
            ["description"] = tool?["description"]?.DeepClone(),
            ["parameters"] = tool?["input_schema"]?.DeepClone() ?? new JsonObject { ["type"] = "object" },
        },
    };

    private static JsonNode? ToolChoice(JsonNode? choice) => (choice?["type"] as JsonValue)?.GetValue<string>() switch
    {
        "auto" => "auto",
        "any" => "required",
        "none" => "none",
        "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = choice!["name"]?.DeepClone() } },
        _ => null,
    };

    /// <summary>The first part of the request only Anthropic's API runs, as the error another provider answers; or null.</summary>
    private static GatewayError? AnthropicOnly(JsonObject root)
    {
        if (root["tools"] is JsonArray tools)
        {
            for (var i = 0; i < tools.Count; i++)
            {
                // A tool the client defines has no type, or "custom"; every other type is one of Anthropic's own.
                if (tools[i]?["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name != "custom")
                {
                    return GatewayError.BadRequest($"tools.{i}: '{name}' is one of Anthropic's own tools, which only Anthropic models run.", $"tools.{i}");
                }
            }
        }

        foreach (var field in (ReadOnlySpan<string>)["mcp_servers", "container"])
        {
            if (root[field] is not null)
            {
                return GatewayError.BadRequest($"{field}: only Anthropic models take it.", field);
            }
        }

        return null;
    }

    private static (ChatRequest?, GatewayError?) Fail(string message) => (null, GatewayError.BadRequest(message));
}
