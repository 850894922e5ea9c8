using System.Text.Json;
using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// Turns an internal (OpenAI chat) body into an Anthropic Messages body: system messages into <c>system</c>, text and
/// image parts into blocks, assistant tool calls into <c>tool_use</c> blocks, tool messages into <c>tool_result</c>
/// blocks of a user turn, tools and tool choice, stop sequences and sampling. Anthropic requires
/// <c>max_tokens</c>: the adapter writes the call's output limit into every body, translated or native
/// (<see cref="Providers.OutputLimit"/>).
/// </summary>
internal static class OpenAiToAnthropic
{
    public static JsonObject Translate(ChatRequest request, string upstreamSlug)
    {
        var source = request.Body;
        var target = new JsonObject
        {
            ["model"] = upstreamSlug,
            ["stream"] = request.Stream,
        };
        var system = new List<string>();
        var messages = new JsonArray();
        foreach (var message in (JsonArray)source["messages"]!)
        {
            var role = message!["role"]!.GetValue<string>();
            switch (role)
            {
                case "system" or "developer":
                    system.Add(Text(message["content"]));
                    break;
                case "tool":
                    AppendToUser(messages, new JsonObject
                    {
                        ["type"] = "tool_result",
                        ["tool_use_id"] = message["tool_call_id"]?.DeepClone(),
                        ["content"] = Text(message["content"]),
                    });
                    break;
                default:
                    messages.Add(new JsonObject { ["role"] = role == "assistant" ? "assistant" : "user", ["content"] = Blocks(message) });
                    break;
            }
        }

        if (system.Count > 0)
        {
            target["system"] = string.Join("\n", system);
        }

        target["messages"] = messages;
        foreach (var field in new[] { "temperature", "top_p" })
        {
            if (source[field] is { } value)
            {
                target[field] = value.DeepClone();
            }
        }

        if (source["stop"] is { } stop)
        {
            target["stop_sequences"] = stop is JsonArray ? stop.DeepClone() : new JsonArray(stop.DeepClone());
        }

        if (source["tools"] is JsonArray tools)
        {
            target["tools"] = new JsonArray(tools.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t?["function"]?["name"]?.DeepClone(),
                ["description"] = t?["function"]?["description"]?.DeepClone(),
                ["input_schema"] = t?["function"]?["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object" },
            }).ToArray());
        }

        if (ToolChoice(source["tool_choice"]) is { } choice)
        {
            target["tool_choice"] = choice;
        }

        return target;
    }

    private static JsonArray Blocks(JsonNode message)
    {
        var blocks = new JsonArray();
        switch (message["content"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0:
                blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
                break;
            case JsonArray parts:
                foreach (var part in parts)
                {
                    var type = part?["type"]?.GetValue<string>();
                    if (type == "text")
                    {
                        blocks.Add(new JsonObject { ["type"] = "text", ["text"] = part!["text"]?.DeepClone() });
                    }
                    else if (type == "image_url" && part!["image_url"]?["url"]?.GetValue<string>() is { } url)
                    {
                        blocks.Add(new JsonObject { ["type"] = "image", ["source"] = ImageSource(url) });
                    }
                }

                break;
        }

        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                blocks.Add(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = call?["id"]?.DeepClone(),
                    ["name"] = call?["function"]?["name"]?.DeepClone(),
                    ["input"] = ParseArguments(call?["function"]?["arguments"]?.GetValue<string>()),
                });
            }
        }

        return blocks;
    }

    private static JsonObject ImageSource(string url)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal) && url.IndexOf(";base64,", StringComparison.Ordinal) is var marker and > 5)
        {
            return new JsonObject { ["type"] = "base64", ["media_type"] = url[5..marker], ["data"] = url[(marker + ";base64,".Length)..] };
        }

        return new JsonObject { ["type"] = "url", ["url"] = url };
    }

    private static void AppendToUser(JsonArray messages, JsonObject block)
    {
        if (messages.Count > 0 && messages[^1]!["role"]!.GetValue<string>() == "user" && messages[^1]!["content"] is JsonArray content
            && content.All(b => b?["type"]?.GetValue<string>() == "tool_result"))
        {
            content.Add(block);
            return;
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(block) });
    }

    private static JsonNode ParseArguments(string? arguments)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.Select(p => p?["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "")),
        _ => "",
    };

    private static JsonNode? ToolChoice(JsonNode? choice) => choice switch
    {
        JsonValue value when value.TryGetValue<string>(out var mode) => mode switch
        {
            "auto" => new JsonObject { ["type"] = "auto" },
            "required" => new JsonObject { ["type"] = "any" },
            "none" => new JsonObject { ["type"] = "none" },
            _ => null,
        },
        JsonObject named when named["function"]?["name"] is { } name => new JsonObject { ["type"] = "tool", ["name"] = name.DeepClone() },
        _ => null,
    };
}
