using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Operations;

/// <summary>
/// Reads the bodies of OpenAI's embeddings and image generation endpoints and vLLM's rerank, tokenize and detokenize,
/// once, at the edge: each way a body can be wrong gets a 400 naming the field. What is not checked here goes upstream
/// as sent.
/// </summary>
internal static class OpenAiOperationParser
{
    private const int CharactersPerToken = 4;
    private const int MaxImages = 10;

    public static (OperationRequest? Request, GatewayError? Error) Parse(UpstreamOperation operation, ReadOnlyMemory<byte> body)
    {
        var (root, error) = JsonBody.ReadObject(body);
        if (root is null)
        {
            return (null, error);
        }

        if (!JsonBody.TryString(root, "model", out var model))
        {
            return (null, GatewayError.BadRequest("'model' is required and must be a string naming an Odock model.", "model"));
        }

        return operation switch
        {
            UpstreamOperation.Embeddings => Embeddings(root, model),
            UpstreamOperation.ImageGenerations => Images(root, model),
            UpstreamOperation.Rerank => Rerank(root, model),
            UpstreamOperation.Tokenize => Tokenize(root, model),
            UpstreamOperation.Detokenize => Detokenize(root, model),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    private static (OperationRequest?, GatewayError?) Embeddings(JsonObject root, string model)
    {
        var (input, error) = PromptInput.Read(root["input"], "input");
        if (input is null)
        {
            return (null, error);
        }

        var format = root["encoding_format"];
        var base64 = format is JsonValue f && f.TryGetValue<string>(out var name) && name == "base64";
        if (format is not null && !base64 && !(format is JsonValue g && g.TryGetValue<string>(out var other) && other == "float"))
        {
            return (null, GatewayError.BadRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format"));
        }

        if (!JsonBody.TryPositive(root, "dimensions", out var dimensions) || dimensions > 65_536)
        {
            return (null, GatewayError.BadRequest("'dimensions' must be a positive integer.", "dimensions"));
        }

        return (new OperationRequest
        {
            Operation = UpstreamOperation.Embeddings, Model = model, Body = root, Input = input, EstimatedInputTokens = input.EstimatedTokens,
            Base64 = base64, Dimensions = (int?)dimensions,
        }, null);
    }

    private static (OperationRequest?, GatewayError?) Images(JsonObject root, string model)
    {
        if (!JsonBody.TryString(root, "prompt", out var prompt))
        {
            return (null, GatewayError.BadRequest("'prompt' is required and must be a non-empty string.", "prompt"));
        }

        if (!JsonBody.TryPositive(root, "n", out var n) || n > MaxImages)
        {
            return (null, GatewayError.BadRequest($"'n' must be an integer from 1 to {MaxImages}.", "n"));
        }

        return (new OperationRequest
        {
            Operation = UpstreamOperation.ImageGenerations, Model = model, Body = root, EstimatedInputTokens = Estimate(prompt.Length), ImageCount = (int)(n ?? 1),
        }, null);
    }

    private static (OperationRequest?, GatewayError?) Rerank(JsonObject root, string model)
    {
        if (!JsonBody.TryString(root, "query", out var query))
        {
            return (null, GatewayError.BadRequest("'query' is required and must be a non-empty string.", "query"));
        }

        if (root["documents"] is not JsonArray { Count: > 0 } documents || documents.Any(d => DocumentLength(d) is null))
        {
            return (null, GatewayError.BadRequest("'documents' is required and must be a non-empty array of strings or of objects with a string 'text'.", "documents"));
        }

        if (!JsonBody.TryPositive(root, "top_n", out _))
        {
            return (null, GatewayError.BadRequest("'top_n' must be a positive integer.", "top_n"));
        }

        // A reranker reads the query once beside each document.
        var characters = documents.Sum(d => DocumentLength(d)!.Value + query.Length);
        return (new OperationRequest { Operation = UpstreamOperation.Rerank, Model = model, Body = root, EstimatedInputTokens = Estimate(characters) }, null);
    }

    private static (OperationRequest?, GatewayError?) Tokenize(JsonObject root, string model)
    {
        long characters;
        if (root["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var text))
        {
            characters = text.Length;
        }
        else if (root["messages"] is JsonArray { Count: > 0 } messages)
        {
            characters = messages.Sum(m => m?["content"]?.ToJsonString().Length ?? 0);
        }
        else
        {
            return (null, GatewayError.BadRequest("Either 'prompt' (a string) or 'messages' (a non-empty array of chat messages) is required.", "prompt"));
        }

        return (new OperationRequest { Operation = UpstreamOperation.Tokenize, Model = model, Body = root, EstimatedInputTokens = Estimate(characters) }, null);
    }

    private static (OperationRequest?, GatewayError?) Detokenize(JsonObject root, string model)
    {
        if (root["tokens"] is not JsonArray tokens || tokens.Any(t => t is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var id) || id < 0))
        {
            return (null, GatewayError.BadRequest("'tokens' is required and must be an array of token ids.", "tokens"));
        }

        return (new OperationRequest { Operation = UpstreamOperation.Detokenize, Model = model, Body = root, EstimatedInputTokens = tokens.Count }, null);
    }

    private static long? DocumentLength(JsonNode? document) => document switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length,
        JsonObject item when item["text"] is JsonValue value && value.TryGetValue<string>(out var text) => text.Length,
        _ => null,
    };

    private static long Estimate(long characters) => Math.Max(1, (characters + CharactersPerToken - 1) / CharactersPerToken);
}
