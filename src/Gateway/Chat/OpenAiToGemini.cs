using System.Text.Json;
using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// Turns an internal (OpenAI chat) body into a Gemini <c>generateContent</c> body: system messages into
/// <c>systemInstruction</c>, user and assistant turns into <c>user</c> and <c>model</c> contents, text, images, audio
/// and files into parts, assistant tool calls into <c>functionCall</c> parts and tool messages into
/// <c>functionResponse</c> parts (Gemini pairs them by name), tools and tool choice, and the generation settings.
/// </summary>
internal static class OpenAiToGemini
{
    /// <summary>
    /// Google's documented stand-in for the thought signature Gemini 3 models require on replayed function calls; a
    /// conversation that comes from another family has none to replay.
    /// </summary>
    private const string NoThoughtSignature = "skip_thought_signature_validator";

    public static JsonObject Translate(ChatRequest request)
    {
        var source = request.Body;
        var target = new JsonObject();
        var system = new List<string>();
        var contents = new JsonArray();
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in (JsonArray)source["messages"]!)
        {
            switch (message!["role"]!.GetValue<string>())
            {
                case "system" or "developer":
                    system.Add(Text(message["content"]));
                    break;
                case "tool":
                    var id = message["tool_call_id"]?.GetValue<string>() ?? "";
                    AppendResponse(contents, new JsonObject
                    {
                        ["functionResponse"] = new JsonObject
                        {
                            ["name"] = callNames.GetValueOrDefault(id, ""),
                            ["response"] = ResponseObject(Text(message["content"])),
                        },
                    });
                    break;
                case var role:
                    var parts = Parts(message, callNames);
                    if (parts.Count > 0)
                    {
                        contents.Add(new JsonObject { ["role"] = role == "assistant" ? "model" : "user", ["parts"] = parts });
                    }

                    break;
            }
        }

        if (system.Count > 0)
        {
            target["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = string.Join("\n", system) }) };
        }

        target["contents"] = contents;
        if (GenerationConfig(request) is { Count: > 0 } config)
        {
            target["generationConfig"] = config;
        }

        if (source["tools"] is JsonArray tools)
        {
            var declarations = new JsonArray(tools.Select(t => (JsonNode)Declaration(t?["function"])).ToArray());
            target["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
        }

        if (FunctionCallingConfig(source["tool_choice"]) is { } calling)
        {
            target["toolConfig"] = new JsonObject { ["functionCallingConfig"] = calling };
        }

        return target;
    }

    private static JsonArray Parts(JsonNode message, Dictionary<string, string> callNames)
    {
        var parts = new JsonArray();
        switch (message["content"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0:
                parts.Add(new JsonObject { ["text"] = text });
                break;
            case JsonArray pieces:
                foreach (var piece in pieces)
                {
                    if (Part(piece) is { } part)
                    {
                        parts.Add(part);
                    }
                }

                break;
        }

        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                var name = call?["function"]?["name"]?.GetValue<string>() ?? "";
                if (call?["id"]?.GetValue<string>() is { } id)
                {
                    callNames[id] = name;
                }

                parts.Add(new JsonObject
                {
                    ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = Arguments(call?["function"]?["arguments"]?.GetValue<string>()) },
                    ["thoughtSignature"] = NoThoughtSignature,
                });
            }
        }

        return parts;
    }

    private static JsonObject? Part(JsonNode? piece) => piece?["type"]?.GetValue<string>() switch
    {
        "text" => new JsonObject { ["text"] = piece!["text"]?.DeepClone() },
        "image_url" when piece!["image_url"]?["url"]?.GetValue<string>() is { } url => DataPart(url) ?? new JsonObject
        {
            ["fileData"] = new JsonObject { ["mimeType"] = ImageType(url), ["fileUri"] = url },
        },
        "input_audio" when piece!["input_audio"] is JsonObject audio => new JsonObject
        {
            ["inlineData"] = new JsonObject { ["mimeType"] = "audio/" + (audio["format"]?.GetValue<string>() ?? "wav"), ["data"] = audio["data"]?.DeepClone() },
        },
        "file" when piece!["file"]?["file_data"]?.GetValue<string>() is { } data => DataPart(data),
        _ => null,
    };

    /// <summary>A <c>data:</c> URL as inline data; null for any other URL.</summary>
    private static JsonObject? DataPart(string url)
    {
        var marker = url.IndexOf(";base64,", StringComparison.Ordinal);
        if (!url.StartsWith("data:", StringComparison.Ordinal) || marker <= 5)
        {
            return null;
        }

        return new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = url[5..marker], ["data"] = url[(marker + ";base64,".Length)..] } };
    }

    private static string ImageType(string url)
    {
        var path = url.Split('?', '#')[0];
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PNG" => "image/png",
            ".WEBP" => "image/webp",
            ".GIF" => "image/gif",
            ".HEIC" => "image/heic",
            _ => "image/jpeg",
        };
    }

    /// <summary>Tool results answering the same turn's calls go together in one user content, as Gemini expects.</summary>
    private static void AppendResponse(JsonArray contents, JsonObject part)
    {
        if (contents.Count > 0 && contents[^1]!["role"]!.GetValue<string>() == "user" && contents[^1]!["parts"] is JsonArray parts
            && parts.All(p => p?["functionResponse"] is not null))
        {
            parts.Add(part);
            return;
        }

        contents.Add(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(part) });
    }

    /// <summary>Gemini wants an object; a tool's JSON object result is sent as is, anything else under <c>result</c>.</summary>
    private static JsonNode ResponseObject(string content)
    {
        try
        {
            if (JsonNode.Parse(content) is JsonObject result)
            {
                return result;
            }
        }
        catch (JsonException)
        {
        }

        return new JsonObject { ["result"] = content };
    }

    /// <summary>Sampling, stops and response format; the output limit is the adapter's to write (<see cref="Providers.OutputLimit"/>).</summary>
    private static JsonObject GenerationConfig(ChatRequest request)
    {
        var source = request.Body;
        var config = new JsonObject();

        foreach (var (from, to) in new[] { ("temperature", "temperature"), ("top_p", "topP"), ("seed", "seed"), ("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty") })
        {
            if (source[from] is { } value)
            {
                config[to] = value.DeepClone();
            }
        }

        if (source["stop"] is { } stop)
        {
            config["stopSequences"] = stop is JsonArray ? stop.DeepClone() : new JsonArray(stop.DeepClone());
        }

        if (request.Choices > 1)
        {
            // OpenAI's n: Gemini generates that many candidates, which come back as that many choices.
            config["candidateCount"] = request.Choices;
        }

        switch (source["response_format"]?["type"]?.GetValue<string>())
        {
            case "json_object":
                config["responseMimeType"] = "application/json";
                break;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if (source["response_format"]!["json_schema"]?["schema"] is { } schema)
                {
                    config["responseJsonSchema"] = schema.DeepClone();
                }

                break;
        }

        return config;
    }

    private static JsonObject Declaration(JsonNode? function)
    {
        var declaration = new JsonObject { ["name"] = function?["name"]?.DeepClone() };
        if (function?["description"] is { } description)
        {
            declaration["description"] = description.DeepClone();
        }

        if (function?["parameters"] is { } parameters)
        {
            declaration["parametersJsonSchema"] = parameters.DeepClone();
        }

        return declaration;
    }

    private static JsonObject? FunctionCallingConfig(JsonNode? choice) => choice switch
    {
        JsonValue value when value.TryGetValue<string>(out var mode) => mode switch
        {
            "auto" => new JsonObject { ["mode"] = "AUTO" },
            "required" => new JsonObject { ["mode"] = "ANY" },
            "none" => new JsonObject { ["mode"] = "NONE" },
            _ => null,
        },
        JsonObject named when named["function"]?["name"] is { } name => new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(name.DeepClone()) },
        _ => null,
    };

    private static JsonNode Arguments(string? arguments)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments) as JsonObject ?? new JsonObject();
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
}
