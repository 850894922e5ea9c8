using System.Text.Json;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads <c>POST /v1/chat/completions</c> bodies; every way a body can be wrong gets a message naming the field. The
/// body is read into a <see cref="JsonDocument"/>, not a tree of nodes: an OpenAI-format provider is then sent the
/// client's own bytes with a few top-level fields replaced (<see cref="Providers.OpenAi.OpenAiUpstreamBody"/>), and a
/// tree is built only when the request has to be translated for another provider.
/// </summary>
internal static class OpenAiChatParser
{
    // Duplicate names are refused: the client and the provider could otherwise read different values of one field.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128, AllowDuplicateProperties = false };

    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, GatewayError.BadRequest($"The request body is not valid JSON: {ex.Message}"));
        }

        var (request, error) = Read(document);
        if (request is null)
        {
            document.Dispose();
        }

        return (request, error);
    }

    private static (ChatRequest? Request, GatewayError? Error) Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, GatewayError.BadRequest("The request body must be a JSON object."));
        }

        if (!root.TryGetProperty("model"u8, out var modelField) || modelField.ValueKind != JsonValueKind.String || modelField.GetString() is not { } model || string.IsNullOrWhiteSpace(model))
        {
            return (null, GatewayError.BadRequest("'model' is required and must be a string naming an Odock model.", "model"));
        }

        if (!root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return (null, GatewayError.BadRequest("'messages' is required and must be a non-empty array.", "messages"));
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out var role) || role.ValueKind != JsonValueKind.String)
            {
                return (null, GatewayError.BadRequest($"'messages[{index}]' must be an object with a string 'role'.", $"messages[{index}]"));
            }

            index++;
        }

        if (!TryBool(root, "stream"u8, out var stream))
        {
            return (null, GatewayError.BadRequest("'stream' must be a boolean.", "stream"));
        }

        var (maxOutput, maxError) = ReadMaxTokens(root);
        if (maxError is not null)
        {
            return (null, maxError);
        }

        if (!TryChoices(root, out var choices))
        {
            return (null, GatewayError.BadRequest($"'n' must be an integer from 1 to {ChatRequest.MaxChoices}.", "n"));
        }

        var wantsUsage = root.TryGetProperty("stream_options"u8, out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage"u8, out var include) && include.ValueKind == JsonValueKind.True;
        return (new ChatRequest
        {
            Family = Families.ApiFamily.OpenAi,
            Document = document,
            Model = model,
            Stream = stream,
            ClientWantsStreamUsage = wantsUsage,
            MaxOutputTokens = maxOutput,
            Choices = choices,
            EstimatedInputTokens = TokenEstimator.Estimate(root),
            Untranslatable = OpenAiOnly(root),
            HostedTools = HostedToolUse.FromChatCompletions(root),
        }, null);
    }

    /// <summary>
    /// The first part of the request that only OpenAI-format providers serve, as the error any other provider answers
    /// (<see cref="ChatRequest.Untranslatable"/>), or null: a tool that is not a function (OpenAI's custom tools), web
    /// search options, audio output and predicted outputs. Translated, each would be dropped, and the answer would
    /// quietly lack what the client asked for.
    /// </summary>
    private static GatewayError? OpenAiOnly(JsonElement root)
    {
        foreach (var field in root.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.NameEquals("tools"u8) && field.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var tool in field.Value.EnumerateArray())
                {
                    if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type"u8, out var type) && !type.ValueEquals("function"u8))
                    {
                        return GatewayError.BadRequest($"tools[{i}]: a tool of type '{type}' is served only by OpenAI-format providers; other models take functions.", $"tools[{i}]");
                    }

                    i++;
                }
            }
            else if (field.NameEquals("web_search_options"u8) || field.NameEquals("audio"u8) || field.NameEquals("prediction"u8)
                || (field.NameEquals("modalities"u8) && field.Value.ValueKind == JsonValueKind.Array && field.Value.EnumerateArray().Any(m => m.ValueEquals("audio"u8))))
            {
                return GatewayError.BadRequest($"'{field.Name}' is served only by OpenAI-format providers.", field.Name);
            }
        }

        return null;
    }

    /// <summary>The answers asked for (<c>n</c>): 1 when absent or null, false when not an integer from 1 to <see cref="ChatRequest.MaxChoices"/>.</summary>
    private static bool TryChoices(JsonElement root, out int choices)
    {
        choices = 1;
        if (!root.TryGetProperty("n"u8, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out choices) && choices is >= 1 and <= ChatRequest.MaxChoices;
    }

    private static (long? Value, GatewayError? Error) ReadMaxTokens(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var tokens) || tokens < 1)
            {
                return (null, GatewayError.BadRequest($"'{name}' must be a positive integer.", name));
            }

            return (tokens, null);
        }

        return (null, null);
    }

    /// <summary>False only when the field is present and neither a boolean nor null.</summary>
    private static bool TryBool(JsonElement root, ReadOnlySpan<byte> name, out bool value)
    {
        value = false;
        if (!root.TryGetProperty(name, out var field))
        {
            return true;
        }

        value = field.ValueKind == JsonValueKind.True;
        return field.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;
    }
}
