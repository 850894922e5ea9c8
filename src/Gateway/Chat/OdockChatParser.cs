using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Operations;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads <c>POST /odock/v1/chat</c> bodies (docs/API.md, "Odock chat") into the internal (OpenAI chat) form: one model or
/// an ordered fallback list, messages whose content is a string or typed parts (text, image, tool_call, tool_result),
/// tools, tool choice, the output limit, sampling, stop sequences and streaming. Every way a body can be wrong gets a
/// 400 naming the field, a field the format does not have included: this is Odock's own format, so nothing a client
/// sends is ignored.
/// </summary>
internal static class OdockChatParser
{
    /// <summary>How many models one request may name: enough for a primary and its backups, bounded so a request cannot fan out.</summary>
    public const int MaxModels = 5;

    private static readonly string[] SamplingFields = ["temperature", "top_p"];

    /// <summary>Every top-level field of the format: any other is refused, so a misspelt limit is not silently unlimited.</summary>
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "model", "models", "messages", "stream", "max_output_tokens", "temperature", "top_p", "stop", "tools", "tool_choice",
    };

    /// <summary>Other APIs' names for the format's fields, to name in the refusal.</summary>
    private static readonly Dictionary<string, string> OtherNames = new(StringComparer.Ordinal)
    {
        ["max_tokens"] = "'max_output_tokens'",
        ["max_completion_tokens"] = "'max_output_tokens'",
        ["maxOutputTokens"] = "'max_output_tokens'",
        ["stop_sequences"] = "'stop'",
        ["system"] = "a message with the role 'system'",
        ["functions"] = "'tools'",
    };

    public static (OdockChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        var (root, error) = JsonBody.ReadObject(body);
        if (root is null)
        {
            return (null, error);
        }

        try
        {
            return Translate(root);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type deep inside a part (a number where a string belongs).
            return Fail($"A field has the wrong type: {ex.Message}", "messages");
        }
    }

    private static (OdockChatRequest? Request, GatewayError? Error) Translate(JsonObject root)
    {
        foreach (var (name, _) in root)
        {
            if (!Fields.Contains(name))
            {
                var instead = OtherNames.TryGetValue(name, out var ours) ? $" Odock chat calls it {ours}." : "";
                return Fail($"'{name}' is not a field of Odock chat.{instead} The fields are listed in docs/API.md, \"Odock chat\".", name);
            }
        }

        var (models, modelError) = ReadModels(root);
        if (modelError is not null)
        {
            return (null, modelError);
        }

        if (root["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return Fail("'messages' is required and must be a non-empty array.", "messages");
        }

        if (!JsonBody.TryBool(root, "stream", out var stream))
        {
            return Fail("'stream' must be a boolean.", "stream");
        }

        if (!JsonBody.TryPositive(root, "max_output_tokens", out var maxOutput))
        {
            return Fail("'max_output_tokens' must be a positive integer.", "max_output_tokens");
        }

        var chatMessages = new JsonArray();
        for (var i = 0; i < messages.Count; i++)
        {
            var error = ReadMessage(messages[i], $"messages[{i}]", chatMessages);
            if (error is not null)
            {
                return (null, error);
            }
        }

        var chat = new JsonObject { ["model"] = models[0], ["messages"] = chatMessages, ["stream"] = stream };
        if (maxOutput is { } limit)
        {
            chat["max_completion_tokens"] = limit;
        }

        var optionError = CopySampling(root, chat) ?? ReadTools(root, chat);
        if (optionError is not null)
        {
            return (null, optionError);
        }

        return (new OdockChatRequest(new ChatRequest
        {
            Family = ApiFamily.Odock,
            Body = chat,
            Model = models[0],
            Stream = stream,
            MaxOutputTokens = maxOutput,
            EstimatedInputTokens = TokenEstimator.Estimate(chat),
        }, models), null);
    }

    private static (string[] Models, GatewayError? Error) ReadModels(JsonObject root)
    {
        var hasModel = root.ContainsKey("model");
        if (hasModel && root.ContainsKey("models"))
        {
            return ([], GatewayError.BadRequest("Name either 'model' or 'models', not both.", "models"));
        }

        if (hasModel)
        {
            return TryString(root["model"], out var model) && !string.IsNullOrWhiteSpace(model)
                ? ([model!], null)
                : ([], GatewayError.BadRequest("'model' must be a string naming an Odock model.", "model"));
        }

        if (root["models"] is not JsonArray list || list.Count is 0 or > MaxModels)
        {
            return ([], GatewayError.BadRequest($"'model' (a string) or 'models' (an array of 1 to {MaxModels} model names, tried in order) is required.", "models"));
        }

        var models = new string[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            if (!TryString(list[i], out var name) || string.IsNullOrWhiteSpace(name))
            {
                return ([], GatewayError.BadRequest($"'models[{i}]' must be a string naming an Odock model.", $"models[{i}]"));
            }

            models[i] = name!;
        }

        return (models, null);
    }

    private static GatewayError? ReadMessage(JsonNode? node, string path, JsonArray chat)
    {
        if (node is not JsonObject message || !TryString(message["role"], out var role) || role is not ("system" or "user" or "assistant" or "tool"))
        {
            return GatewayError.BadRequest($"'{path}' must be an object with a 'role' of 'system', 'user', 'assistant' or 'tool'.", $"{path}.role");
        }

        switch (message["content"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                if (role == "tool")
                {
                    return GatewayError.BadRequest($"'{path}.content': a tool message holds tool_result parts.", $"{path}.content");
                }

                chat.Add(new JsonObject { ["role"] = role, ["content"] = text });
                return null;
            case JsonArray parts:
                return ReadParts(role!, parts, path, chat);
            default:
                return GatewayError.BadRequest($"'{path}.content' must be a string or an array of content parts.", $"{path}.content");
        }
    }

    private static GatewayError? ReadParts(string role, JsonArray parts, string path, JsonArray chat)
    {
        var content = new JsonArray();
        var calls = new JsonArray();
        for (var i = 0; i < parts.Count; i++)
        {
            var partPath = $"{path}.content[{i}]";
            var part = parts[i] as JsonObject;
            var type = TryString(part?["type"], out var t) ? t : null;
            switch (type)
            {
                case "text" when role != "tool" && TryString(part!["text"], out var text):
                    content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
                    break;
                case "image" when role == "user" && TryString(part!["url"], out var url):
                    content.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    break;
                case "tool_call" when role == "assistant" && TryString(part!["id"], out var id) && TryString(part["name"], out var name):
                    calls.Add(new JsonObject
                    {
                        ["id"] = id,
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = name, ["arguments"] = part["arguments"] is JsonObject arguments ? arguments.ToJsonString() : "{}" },
                    });
                    break;
                case "tool_result" when role is "tool" or "user" && TryString(part!["tool_call_id"], out var callId):
                    chat.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = ResultText(part["content"]) });
                    break;
                default:
                    return GatewayError.BadRequest(
                        $"'{partPath}' is not a valid part for a {role} message: use text (system, user, assistant), image with a 'url' (user), tool_call with 'id', 'name' and object 'arguments' (assistant), tool_result with 'tool_call_id' (tool).",
                        partPath);
            }
        }

        if (content.Count > 0 || calls.Count > 0)
        {
            var message = new JsonObject
            {
                ["role"] = role,
                ["content"] = content.Count == 0 ? null
                    : content.All(p => p!["type"]!.GetValue<string>() == "text") ? string.Concat(content.Select(p => p!["text"]!.GetValue<string>())) : content,
            };
            if (calls.Count > 0)
            {
                message["tool_calls"] = calls;
            }

            chat.Add(message);
        }

        return null;
    }

    private static string ResultText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        null => "",
        _ => content.ToJsonString(),
    };

    private static GatewayError? CopySampling(JsonObject root, JsonObject chat)
    {
        foreach (var field in SamplingFields)
        {
            if (root[field] is { } value)
            {
                if (value is not JsonValue number || !number.TryGetValue<double>(out _))
                {
                    return GatewayError.BadRequest($"'{field}' must be a number.", field);
                }

                chat[field] = value.DeepClone();
            }
        }

        switch (root["stop"])
        {
            case null:
                return null;
            case JsonArray stops when stops.All(s => TryString(s, out _)):
                chat["stop"] = stops.DeepClone();
                return null;
            default:
                return GatewayError.BadRequest("'stop' must be an array of strings.", "stop");
        }
    }

    private static GatewayError? ReadTools(JsonObject root, JsonObject chat)
    {
        if (root["tools"] is { } toolsNode)
        {
            if (toolsNode is not JsonArray tools)
            {
                return GatewayError.BadRequest("'tools' must be an array.", "tools");
            }

            var functions = new JsonArray();
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || !TryString(tool["name"], out var name) || string.IsNullOrEmpty(name))
                {
                    return GatewayError.BadRequest($"'tools[{i}]' must be an object with a 'name'.", $"tools[{i}].name");
                }

                var function = new JsonObject { ["name"] = name, ["parameters"] = tool["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object" } };
                if (tool["description"] is { } description)
                {
                    function["description"] = description.DeepClone();
                }

                functions.Add(new JsonObject { ["type"] = "function", ["function"] = function });
            }

            chat["tools"] = functions;
        }

        switch (root["tool_choice"])
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var mode) && mode is "auto" or "none" or "required":
                chat["tool_choice"] = mode;
                return null;
            case JsonObject choice when TryString(choice["name"], out var name):
                chat["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
                return null;
            default:
                return GatewayError.BadRequest("'tool_choice' must be 'auto', 'none', 'required' or {\"name\": \"<tool>\"}.", "tool_choice");
        }
    }

    private static bool TryString(JsonNode? node, out string? value)
    {
        value = null;
        return node is JsonValue json && json.TryGetValue(out value);
    }

    private static (OdockChatRequest?, GatewayError?) Fail(string message, string? param) => (null, GatewayError.BadRequest(message, param));
}
