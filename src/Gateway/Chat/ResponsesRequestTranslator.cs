using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Operations;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads <c>POST /v1/responses</c> bodies into the internal (OpenAI chat) form, keeping the original for OpenAI-format
/// providers, which get it as sent: <c>input</c> as a string or as items (messages with text and image parts, function
/// calls and their outputs), <c>instructions</c>, function tools and tool choice, the output limit, sampling and
/// <c>text.format</c>. What only OpenAI can serve (stored responses, built-in tools, file ids) is noted as
/// <see cref="ChatRequest.Untranslatable"/>, so that every other provider refuses it with a 400 naming the field.
/// </summary>
internal static class ResponsesRequestTranslator
{
    private static readonly string[] SamplingFields = ["temperature", "top_p", "parallel_tool_calls"];

    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body)
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
            // A field of the wrong JSON type deep inside an item (a number where a string belongs).
            return Fail($"A field has the wrong type: {ex.Message}", "input");
        }
    }

    private static (ChatRequest? Request, GatewayError? Error) Translate(JsonObject root)
    {
        if (!TryString(root["model"], out var model) || string.IsNullOrWhiteSpace(model))
        {
            return Fail("'model' is required and must be a string naming an Odock model.", "model");
        }

        if (!JsonBody.TryBool(root, "stream", out var stream))
        {
            return Fail("'stream' must be a boolean.", "stream");
        }

        if (!JsonBody.TryPositive(root, "max_output_tokens", out var maxOutput))
        {
            return Fail("'max_output_tokens' must be a positive integer.", "max_output_tokens");
        }

        var notes = new Notes();
        var messages = new JsonArray();
        if (root["instructions"] is { } instructions)
        {
            if (!TryString(instructions, out var text))
            {
                return Fail("'instructions' must be a string.", "instructions");
            }

            messages.Add(new JsonObject { ["role"] = "system", ["content"] = text });
        }

        var inputError = ReadInput(root["input"], messages, notes);
        if (inputError is not null)
        {
            return (null, inputError);
        }

        if (messages.Count == 0)
        {
            return Fail("'input' is required: a string or a non-empty array of input items.", "input");
        }

        var chat = new JsonObject { ["model"] = model, ["messages"] = messages, ["stream"] = stream };
        if (maxOutput is { } limit)
        {
            chat["max_completion_tokens"] = limit;
        }

        foreach (var field in SamplingFields)
        {
            if (root[field] is { } value)
            {
                chat[field] = value.DeepClone();
            }
        }

        var error = ReadTools(root, chat, notes) ?? ReadTextFormat(root["text"], chat);
        if (error is not null)
        {
            return (null, error);
        }

        if (root["reasoning"]?["effort"] is JsonValue effort && effort.TryGetValue<string>(out var level))
        {
            chat["reasoning_effort"] = level;
        }

        NoteOpenAiOnlyFields(root, notes);
        return (new ChatRequest
        {
            Family = ApiFamily.OpenAiResponses,
            Body = chat,
            NativeBody = root,
            HostedTools = HostedToolUse.FromResponses(root),
            Model = model!,
            Stream = stream,
            MaxOutputTokens = maxOutput,
            EstimatedInputTokens = TokenEstimator.Estimate(chat),
            Untranslatable = notes.Untranslatable,
        }, null);
    }

    private static GatewayError? ReadInput(JsonNode? input, JsonArray messages, Notes notes)
    {
        switch (input)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var text):
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
                return null;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    var error = ReadItem(items[i], $"input[{i}]", messages, notes);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return GatewayError.BadRequest("'input' must be a string or an array of input items.", "input");
        }
    }

    private static GatewayError? ReadItem(JsonNode? node, string path, JsonArray messages, Notes notes)
    {
        if (node is not JsonObject item)
        {
            return GatewayError.BadRequest($"'{path}' must be an object.", path);
        }

        var type = TryString(item["type"], out var t) ? t : item["role"] is not null ? "message" : null;
        switch (type)
        {
            case "message":
                return ReadMessage(item, path, messages, notes);
            case "function_call":
                if (!TryString(item["call_id"], out var callId) || !TryString(item["name"], out var name))
                {
                    return GatewayError.BadRequest($"'{path}': a function_call item needs a string 'call_id' and 'name'.", path);
                }

                AssistantCalls(messages).Add(new JsonObject
                {
                    ["id"] = callId,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = TryString(item["arguments"], out var arguments) ? arguments : "{}" },
                });
                return null;
            case "function_call_output":
                if (!TryString(item["call_id"], out var outputId))
                {
                    return GatewayError.BadRequest($"'{path}': a function_call_output item needs a string 'call_id'.", path);
                }

                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = outputId, ["content"] = OutputText(item["output"]) });
                return null;
            case "reasoning":
                // Reasoning items replay OpenAI's own (often encrypted) chain of thought: nothing another model can use.
                return null;
            case null:
                return GatewayError.BadRequest($"'{path}' needs a 'type' (message, function_call, function_call_output) or a 'role'.", path);
            default:
                notes.Note($"{path}: the item type '{type}' refers to OpenAI's own tools or stored items; only OpenAI models can take it.", path);
                return null;
        }
    }

    private static GatewayError? ReadMessage(JsonObject item, string path, JsonArray messages, Notes notes)
    {
        if (!TryString(item["role"], out var role) || role is not ("user" or "assistant" or "system" or "developer"))
        {
            return GatewayError.BadRequest($"'{path}.role' must be 'user', 'assistant', 'system' or 'developer'.", $"{path}.role");
        }

        switch (item["content"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                AddMessage(messages, role!, text);
                return null;
            case JsonArray parts:
                var chatParts = new JsonArray();
                for (var i = 0; i < parts.Count; i++)
                {
                    var error = ReadPart(parts[i], $"{path}.content[{i}]", chatParts, notes);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                AddMessage(messages, role!, chatParts.All(p => p!["type"]!.GetValue<string>() == "text")
                    ? string.Concat(chatParts.Select(p => p!["text"]!.GetValue<string>()))
                    : chatParts);
                return null;
            default:
                return GatewayError.BadRequest($"'{path}.content' must be a string or an array of content parts.", $"{path}.content");
        }
    }

    private static GatewayError? ReadPart(JsonNode? node, string path, JsonArray parts, Notes notes)
    {
        var type = TryString(node?["type"], out var t) ? t : null;
        switch (type)
        {
            case "input_text" or "output_text":
                parts.Add(new JsonObject { ["type"] = "text", ["text"] = TryString(node!["text"], out var text) ? text : "" });
                return null;
            case "refusal":
                parts.Add(new JsonObject { ["type"] = "text", ["text"] = TryString(node!["refusal"], out var refusal) ? refusal : "" });
                return null;
            case "input_image" when TryString(node!["image_url"], out var url):
                var image = new JsonObject { ["url"] = url };
                if (node["detail"] is { } detail)
                {
                    image["detail"] = detail.DeepClone();
                }

                parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = image });
                return null;
            case "input_image" or "input_file":
                notes.Note($"{path}: files and images by 'file_id' live in OpenAI's file store; only OpenAI models can read them.", path);
                return null;
            default:
                return GatewayError.BadRequest($"'{path}': unsupported content part type '{type}'.", path);
        }
    }

    /// <summary>A message, or text joined to the assistant turn that function calls of the same turn already opened.</summary>
    private static void AddMessage(JsonArray messages, string role, JsonNode content)
    {
        var chatRole = role == "developer" ? "system" : role;
        if (chatRole == "assistant" && messages.Count > 0 && messages[^1] is JsonObject last
            && last["role"]!.GetValue<string>() == "assistant" && last["content"] is null)
        {
            last["content"] = content;
            return;
        }

        messages.Add(new JsonObject { ["role"] = chatRole, ["content"] = content });
    }

    /// <summary>The tool calls of the assistant turn the next function call belongs to: calls of one turn arrive as consecutive items.</summary>
    private static JsonArray AssistantCalls(JsonArray messages)
    {
        if (messages.Count > 0 && messages[^1] is JsonObject last && last["role"]!.GetValue<string>() == "assistant")
        {
            if (last["tool_calls"] is not JsonArray calls)
            {
                last["tool_calls"] = calls = new JsonArray();
            }

            return calls;
        }

        var turn = new JsonArray();
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = turn });
        return turn;
    }

    private static string OutputText(JsonNode? output) => output switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.Select(p => TryString(p?["text"], out var s) ? s : "")),
        null => "",
        _ => output.ToJsonString(),
    };

    private static GatewayError? ReadTools(JsonObject root, JsonObject chat, Notes notes)
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
                var type = TryString(tools[i]?["type"], out var t) ? t : null;
                if (type != "function")
                {
                    notes.Note($"tools[{i}]: the built-in tool '{type}' runs at OpenAI; only OpenAI models can use it.", $"tools[{i}]");
                    continue;
                }

                if (!TryString(tools[i]!["name"], out var name) || string.IsNullOrEmpty(name))
                {
                    return GatewayError.BadRequest($"'tools[{i}].name' is required for a function tool.", $"tools[{i}].name");
                }

                var function = new JsonObject { ["name"] = name, ["parameters"] = tools[i]!["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object" } };
                CopyIfPresent(tools[i]!, function, "description");
                CopyIfPresent(tools[i]!, function, "strict");
                functions.Add(new JsonObject { ["type"] = "function", ["function"] = function });
            }

            if (functions.Count > 0)
            {
                chat["tools"] = functions;
            }
        }

        switch (root["tool_choice"])
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var mode) && mode is "auto" or "none" or "required":
                chat["tool_choice"] = mode;
                return null;
            case JsonObject choice when TryString(choice["type"], out var kind) && kind == "function" && TryString(choice["name"], out var name):
                chat["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
                return null;
            case JsonObject:
                notes.Note("tool_choice: only 'auto', 'none', 'required' or a function can be chosen outside OpenAI.", "tool_choice");
                return null;
            default:
                return GatewayError.BadRequest("'tool_choice' must be 'auto', 'none', 'required' or an object naming a tool.", "tool_choice");
        }
    }

    /// <summary><c>text.format</c> as chat's <c>response_format</c>; the schema travels unchanged.</summary>
    private static GatewayError? ReadTextFormat(JsonNode? text, JsonObject chat)
    {
        if (text?["format"] is not { } format)
        {
            return null;
        }

        switch (TryString(format["type"], out var type) ? type : null)
        {
            case "text":
                return null;
            case "json_object":
                chat["response_format"] = new JsonObject { ["type"] = "json_object" };
                return null;
            case "json_schema" when TryString(format["name"], out var name) && format["schema"] is JsonObject schema:
                var jsonSchema = new JsonObject { ["name"] = name, ["schema"] = schema.DeepClone() };
                CopyIfPresent(format, jsonSchema, "strict");
                CopyIfPresent(format, jsonSchema, "description");
                chat["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = jsonSchema };
                return null;
            default:
                return GatewayError.BadRequest("'text.format' must be of type 'text', 'json_object', or 'json_schema' with a 'name' and a 'schema' object.", "text.format");
        }
    }

    private static void NoteOpenAiOnlyFields(JsonObject root, Notes notes)
    {
        if (root["previous_response_id"] is JsonValue previous && previous.GetValueKind() == JsonValueKind.String)
        {
            notes.Note("'previous_response_id' continues a response stored by OpenAI; only OpenAI models can continue it.", "previous_response_id");
        }

        if (root["store"] is JsonValue store && store.GetValueKind() == JsonValueKind.True)
        {
            notes.Note("'store': true keeps the response at OpenAI for later retrieval; only OpenAI models store responses.", "store");
        }

        if (root["conversation"] is { } conversation && conversation.GetValueKind() != JsonValueKind.Null)
        {
            notes.Note("'conversation' names a conversation stored by OpenAI; only OpenAI models can use it.", "conversation");
        }

        if (root["background"] is JsonValue background && background.GetValueKind() == JsonValueKind.True)
        {
            notes.Note("'background' responses run and wait at OpenAI; only OpenAI models can run them.", "background");
        }

        if (root["prompt"] is JsonObject)
        {
            notes.Note("'prompt' names a prompt template stored by OpenAI; only OpenAI models can use it.", "prompt");
        }
    }

    private static void CopyIfPresent(JsonNode source, JsonObject target, string field)
    {
        if (source[field] is { } value)
        {
            target[field] = value.DeepClone();
        }
    }

    private static bool TryString(JsonNode? node, out string? value)
    {
        value = null;
        return node is JsonValue json && json.TryGetValue(out value);
    }

    private static (ChatRequest?, GatewayError?) Fail(string message, string? param) => (null, GatewayError.BadRequest(message, param));

    /// <summary>The first thing found that only OpenAI can serve.</summary>
    private sealed class Notes
    {
        public GatewayError? Untranslatable { get; private set; }

        public void Note(string reason, string param) => Untranslatable ??= GatewayError.BadRequest(reason, param);
    }
}
