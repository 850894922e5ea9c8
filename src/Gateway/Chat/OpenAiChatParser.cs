using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Chat;

/// <summary>Reads <c>POST /v1/chat/completions</c> bodies; every way a body can be wrong gets a message naming the field.</summary>
internal static class OpenAiChatParser
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.Span, NodeOptions, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            return (null, GatewayError.BadRequest($"The request body is not valid JSON: {ex.Message}"));
        }

        if (node is not JsonObject root)
        {
            return (null, GatewayError.BadRequest("The request body must be a JSON object."));
        }

        if (!TryString(root, "model", out var model) || string.IsNullOrWhiteSpace(model))
        {
            return (null, GatewayError.BadRequest("'model' is required and must be a string naming an Odock model.", "model"));
        }

        if (root["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return (null, GatewayError.BadRequest("'messages' is required and must be a non-empty array.", "messages"));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || !TryString(message, "role", out _))
            {
                return (null, GatewayError.BadRequest($"'messages[{i}]' must be an object with a string 'role'.", $"messages[{i}]"));
            }
        }

        if (!TryBool(root, "stream", out var stream))
        {
            return (null, GatewayError.BadRequest("'stream' must be a boolean.", "stream"));
        }

        var (maxOutput, maxError) = ReadMaxTokens(root);
        if (maxError is not null)
        {
            return (null, maxError);
        }

        var wantsUsage = root["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include && include.TryGetValue<bool>(out var flag) && flag;
        return (new ChatRequest
        {
            Family = Families.ApiFamily.OpenAi,
            Body = root,
            Model = model!,
            Stream = stream,
            ClientWantsStreamUsage = wantsUsage,
            MaxOutputTokens = maxOutput,
            EstimatedInputTokens = TokenEstimator.Estimate(root),
        }, null);
    }

    private static (long? Value, GatewayError? Error) ReadMaxTokens(JsonObject root)
    {
        foreach (var name in new[] { "max_completion_tokens", "max_tokens" })
        {
            var value = root[name];
            if (value is null)
            {
                continue;
            }

            if (value is not JsonValue number || !number.TryGetValue<long>(out var tokens) || tokens < 1)
            {
                return (null, GatewayError.BadRequest($"'{name}' must be a positive integer.", name));
            }

            return (tokens, null);
        }

        return (null, null);
    }

    private static bool TryString(JsonObject root, string name, out string? value)
    {
        value = null;
        return root[name] is JsonValue node && node.TryGetValue(out value);
    }

    private static bool TryBool(JsonObject root, string name, out bool value)
    {
        value = false;
        var node = root[name];
        return node is null || (node is JsonValue json && json.TryGetValue(out value));
    }
}
