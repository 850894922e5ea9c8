using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads Gemini <c>generateContent</c> bodies (and <c>countTokens</c> bodies, bare or wrapping a
/// <c>generateContentRequest</c>) into the internal (OpenAI chat) form, keeping the original for Gemini providers:
/// system instruction, text, inline data and image file parts, function calls and responses, function declarations
/// and the calling mode, and the generation settings chat models share. The model and streaming come from the path.
/// Thought parts are the model's own reasoning and are not sent to other providers. What only Gemini understands
/// (file references other than images, code execution parts, Google's built-in tools, cached content) does not stop a
/// request to a Gemini model, which gets the body as sent; it is noted as <see cref="ChatRequest.Untranslatable"/> and
/// refused for every other provider.
/// </summary>
internal static class GeminiRequestTranslator
{
    /// <summary>Fields a part may carry beside its data, which say how to read it rather than what it says.</summary>
    private static readonly HashSet<string> PartMetadata = new(StringComparer.Ordinal) { "thought", "thoughtSignature", "partMetadata", "videoMetadata", "mediaResolution" };

    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, GeminiRoute route)
    {
        try
        {
            return Translate(body, route);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type deep inside a part (a number where a string belongs).
            return Fail($"A field has the wrong type: {ex.Message}");
        }
    }

    private static (ChatRequest? Request, GatewayError? Error) Translate(ReadOnlyMemory<byte> body, GeminiRoute route)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            return Fail($"Invalid JSON payload received: {ex.Message}");
        }

        if (node is not JsonObject root)
        {
            return Fail("Invalid JSON payload received: the body must be a JSON object.");
        }

        if (route.Method == GeminiMethod.CountTokens && root["generateContentRequest"] is JsonObject wrapped)
        {
            root = wrapped;
        }

        if (root["contents"] is not JsonArray contents || contents.Count == 0)
        {
            return Fail("contents: a non-empty array of Content is required.", "contents");
        }

        var (maxOutput, configError) = MaxOutputTokens(root["generationConfig"]);
        if (configError is not null)
        {
            return (null, configError);
        }

        var (choices, choicesError) = CandidateCount(root["generationConfig"]);
        if (choicesError is not null)
        {
            return (null, choicesError);
        }

        var stream = route.Method == GeminiMethod.StreamGenerateContent;
        var chat = new JsonArray();
        if (Text(root["systemInstruction"]) is { Length: > 0 } system)
        {
            chat.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        var conversation = new Conversation();
        for (var i = 0; i < contents.Count; i++)
        {
            if (TranslateContent(contents[i], i, chat, conversation) is { } error)
            {
                return Fail(error, $"contents[{i}]");
            }
        }

        var translated = new JsonObject { ["model"] = route.Model, ["stream"] = stream, ["messages"] = chat };
        if (maxOutput is { } max)
        {
            translated["max_tokens"] = max;
        }

        if (choices > 1)
        {
            // candidateCount: an OpenAI-format provider generates that many choices, which come back as candidates.
            translated["n"] = choices;
        }

        CopyGenerationConfig(root["generationConfig"] as JsonObject, translated);
        if (root["cachedContent"] is not null)
        {
            conversation.Note("cachedContent refers to content cached by Gemini; only Gemini models can use it.", "cachedContent");
        }

        if (Functions(root["tools"], conversation) is { Count: > 0 } tools)
        {
            translated["tools"] = tools;
        }

        if (ToolChoice(root["toolConfig"]?["functionCallingConfig"]) is { } choice)
        {
            translated["tool_choice"] = choice;
        }

        return (new ChatRequest
        {
            Family = ApiFamily.Gemini,
            Body = translated,
            NativeBody = root,
            HostedTools = HostedToolUse.FromGemini(root),
            Model = route.Model,
            Stream = stream,
            MaxOutputTokens = maxOutput,
            Choices = choices,
            EstimatedInputTokens = TokenEstimator.Estimate(translated),
            Untranslatable = conversation.Untranslatable,
        }, null);
    }

    /// <summary>The candidates asked for (<c>candidateCount</c>, in either spelling): each may use the whole output limit.</summary>
    private static (int Value, GatewayError? Error) CandidateCount(JsonNode? config)
    {
        if ((config?["candidateCount"] ?? config?["candidate_count"]) is not { } value)
        {
            return (1, null);
        }

        return value is JsonValue number && number.TryGetValue<int>(out var count) && count is >= 1 and <= ChatRequest.MaxChoices
            ? (count, null)
            : (0, GatewayError.BadRequest($"generationConfig.candidateCount: must be an integer from 1 to {ChatRequest.MaxChoices}.", "generationConfig.candidateCount"));
    }

    private static (long? Value, GatewayError? Error) MaxOutputTokens(JsonNode? config)
    {
        if (config is not null and not JsonObject)
        {
            return (null, GatewayError.BadRequest("generationConfig: must be an object.", "generationConfig"));
        }

        // The REST API takes the field in either spelling; a limit the provider honours must be the one reserved.
        if ((config?["maxOutputTokens"] ?? config?["max_output_tokens"]) is not { } value)
        {
            return (null, null);
        }

        return value is JsonValue number && number.TryGetValue<long>(out var tokens) && tokens >= 1
            ? (tokens, null)
            : (null, GatewayError.BadRequest("generationConfig.maxOutputTokens: must be a positive integer.", "generationConfig.maxOutputTokens"));
    }

    private static string? TranslateContent(JsonNode? node, int index, JsonArray chat, Conversation conversation)
    {
        if (node is not JsonObject content)
        {
            return $"contents[{index}]: each element must be a Content object.";
        }

        var role = content["role"]?.GetValue<string>() ?? "user";
        if (role is not ("user" or "model" or "function"))
        {
            return $"contents[{index}].role: must be 'user' or 'model', not '{role}'.";
        }

        if (content["parts"] is not JsonArray parts || parts.Count == 0)
        {
            return $"contents[{index}].parts: a non-empty array of Part is required.";
        }

        var pieces = new JsonArray();
        var toolCalls = new JsonArray();
        for (var j = 0; j < parts.Count; j++)
        {
            if (parts[j] is not JsonObject part)
            {
                return $"contents[{index}].parts[{j}]: each element must be a Part object.";
            }

            if (TranslatePart(part, $"contents[{index}].parts[{j}]", $"call_{index}_{j}", pieces, toolCalls, chat, conversation) is { } malformed)
            {
                return $"contents[{index}].parts[{j}]: {malformed}";
            }
        }

        if (pieces.Count == 0 && toolCalls.Count == 0)
        {
            return null;
        }

        var message = new JsonObject { ["role"] = role == "model" ? "assistant" : "user" };
        message["content"] = pieces.Count == 0
            ? null
            : pieces.All(p => p!["type"]!.GetValue<string>() == "text") ? string.Concat(pieces.Select(p => p!["text"]!.GetValue<string>())) : pieces;
        if (toolCalls.Count > 0)
        {
            message["tool_calls"] = toolCalls;
        }

        chat.Add(message);
        return null;
    }

    /// <summary>
    /// One part into the message being built: content pieces, tool calls, or (for function responses) a tool message
    /// of its own, which OpenAI wants before the user's next words. Null unless the part is malformed.
    /// </summary>
    private static string? TranslatePart(JsonObject part, string path, string generatedId, JsonArray pieces, JsonArray toolCalls, JsonArray chat, Conversation conversation)
    {
        if (part["thought"] is JsonValue thought && thought.TryGetValue<bool>(out var isThought) && isThought)
        {
            return null;
        }

        if (part["text"] is { } text)
        {
            pieces.Add(new JsonObject { ["type"] = "text", ["text"] = text.GetValue<string>() });
        }
        else if (part["inlineData"] is JsonObject inline)
        {
            var mimeType = inline["mimeType"]?.GetValue<string>();
            var data = inline["data"]?.GetValue<string>();
            if (string.IsNullOrEmpty(mimeType) || string.IsNullOrEmpty(data))
            {
                return "inlineData needs a mimeType and base64 data.";
            }

            pieces.Add(InlinePiece(mimeType, data));
        }
        else if (part["fileData"] is JsonObject file)
        {
            var mimeType = file["mimeType"]?.GetValue<string>() ?? "";
            if (file["fileUri"]?.GetValue<string>() is not { Length: > 0 } uri)
            {
                return "fileData needs a fileUri.";
            }

            if (mimeType.StartsWith("image/", StringComparison.Ordinal))
            {
                pieces.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = uri } });
            }
            else
            {
                conversation.Note($"{path}: fileData other than images refers to Gemini's file store; only Gemini models can read it.", path);
            }
        }
        else if (part["functionCall"] is JsonObject call)
        {
            var name = call["name"]?.GetValue<string>() ?? "";
            var id = call["id"]?.GetValue<string>() ?? generatedId;
            conversation.Call(name, id);
            toolCalls.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["arguments"] = call["args"]?.ToJsonString() ?? "{}" },
            });
        }
        else if (part["functionResponse"] is JsonObject response)
        {
            var name = response["name"]?.GetValue<string>() ?? "";
            var id = conversation.Answer(name, response["id"]?.GetValue<string>()) ?? generatedId;
            chat.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = response["response"]?.ToJsonString() ?? "{}" });
        }
        else if (part.Select(p => p.Key).FirstOrDefault(k => !PartMetadata.Contains(k)) is { } kind)
        {
            conversation.Note($"{path}: the part kind '{kind}' has no counterpart outside Gemini; only Gemini models can take it.", path);
        }
        else if (part.Count == 0)
        {
            return "a Part needs one of text, inlineData, fileData, functionCall or functionResponse.";
        }

        return null;
    }

    private static JsonObject InlinePiece(string mimeType, string data)
    {
        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            return new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:{mimeType};base64,{data}" } };
        }

        if (mimeType is "audio/wav" or "audio/x-wav" or "audio/mp3" or "audio/mpeg")
        {
            return new JsonObject { ["type"] = "input_audio", ["input_audio"] = new JsonObject { ["data"] = data, ["format"] = mimeType.Contains("wav", StringComparison.Ordinal) ? "wav" : "mp3" } };
        }

        return new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["file_data"] = $"data:{mimeType};base64,{data}" } };
    }

    /// <summary>The system instruction's text: a Content, or (as some clients send it) a bare string.</summary>
    private static string? Text(JsonNode? instruction) => instruction switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonObject content when content["parts"] is JsonArray parts => string.Join("\n", parts.Select(p => p?["text"]?.GetValue<string>()).Where(t => t is not null)),
        _ => null,
    };

    private static void CopyGenerationConfig(JsonObject? config, JsonObject translated)
    {
        if (config is null)
        {
            return;
        }

        foreach (var (from, to) in new[] { ("temperature", "temperature"), ("topP", "top_p"), ("seed", "seed"), ("presencePenalty", "presence_penalty"), ("frequencyPenalty", "frequency_penalty") })
        {
            if (config[from] is { } value)
            {
                translated[to] = value.DeepClone();
            }
        }

        if (config["stopSequences"] is JsonArray stops)
        {
            translated["stop"] = stops.DeepClone();
        }

        if ((config["responseJsonSchema"] ?? GeminiSchema.ToJsonSchema(config["responseSchema"])) is { } schema)
        {
            translated["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "response", ["schema"] = schema.DeepClone() },
            };
        }
        else if (config["responseMimeType"]?.GetValue<string>() == "application/json")
        {
            translated["response_format"] = new JsonObject { ["type"] = "json_object" };
        }
    }

    /// <summary>Function declarations as OpenAI tools. Google's built-in tools (search, code execution) have no counterpart elsewhere.</summary>
    private static JsonArray? Functions(JsonNode? tools, Conversation conversation)
    {
        if (tools is not JsonArray list)
        {
            return null;
        }

        foreach (var builtIn in list.OfType<JsonObject>().SelectMany(t => t).Where(p => p.Key != "functionDeclarations"))
        {
            conversation.Note($"tools: the tool '{builtIn.Key}' is Gemini's own; only Gemini models can use it.", "tools");
        }

        var functions = new JsonArray();
        foreach (var declaration in list.SelectMany(t => t?["functionDeclarations"] as JsonArray ?? []))
        {
            var parameters = declaration?["parametersJsonSchema"]?.DeepClone()
                ?? GeminiSchema.ToJsonSchema(declaration?["parameters"])
                ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            var function = new JsonObject { ["name"] = declaration?["name"]?.DeepClone(), ["parameters"] = parameters };
            if (declaration?["description"] is { } description)
            {
                function["description"] = description.DeepClone();
            }

            functions.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }

        return functions;
    }

    private static JsonNode? ToolChoice(JsonNode? config)
    {
        var allowed = config?["allowedFunctionNames"] as JsonArray;
        return config?["mode"]?.GetValue<string>() switch
        {
            "ANY" when allowed is [{ } only] => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = only.DeepClone() } },
            "ANY" => "required",
            "NONE" => "none",
            "AUTO" or "VALIDATED" => "auto",
            _ => null,
        };
    }

    private static (ChatRequest?, GatewayError?) Fail(string message, string? param = null) => (null, GatewayError.BadRequest(message, param));

    /// <summary>
    /// What translating one body learns as it goes. Gemini pairs a function response with its call by name (and by id
    /// when the client kept one); OpenAI by id. Calls without an id get one, and a response without an id answers the
    /// oldest unanswered call of its name. The first thing only Gemini understands is kept as the reason other
    /// providers refuse the request.
    /// </summary>
    private sealed class Conversation
    {
        private readonly Dictionary<string, List<string>> _unanswered = new(StringComparer.Ordinal);

        public GatewayError? Untranslatable { get; private set; }

        public void Call(string name, string id)
        {
            if (!_unanswered.TryGetValue(name, out var ids))
            {
                _unanswered[name] = ids = [];
            }

            ids.Add(id);
        }

        public string? Answer(string name, string? id)
        {
            if (!_unanswered.TryGetValue(name, out var ids) || ids.Count == 0)
            {
                return id;
            }

            var answered = id ?? ids[0];
            ids.Remove(answered);
            return answered;
        }

        public void Note(string reason, string param) => Untranslatable ??= GatewayError.BadRequest(reason, param);
    }
}
