using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Gateway.Operations;

namespace Odock.Gateway.Providers.Mock;

/// <summary>
/// The offline provider's non-chat answers, in OpenAI's (and vLLM's) format, deterministic for a given request:
/// embeddings (unit vectors derived from each input's hash, with <c>dimensions</c> or 256 values, about four characters
/// a token), images (a 1x1 PNG, as <c>b64_json</c> or a <c>data:</c> URL), rerank (documents scored by the query words
/// they contain), and tokenize/detokenize (three UTF-8 bytes a token, so detokenize gives back what tokenize took).
/// <c>latency_ms</c> and <c>fail_status</c> apply as for chat (<see cref="MockBehaviour"/>).
/// </summary>
internal sealed class MockOperationProvider(TimeProvider time) : IOperationProvider
{
    private const int DefaultDimensions = 256;

    /// <summary>A valid 1x1 PNG: small enough to return often, real enough for any image decoder.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");

    public async Task<ChatOutcome> SendAsync(OperationCall call, CancellationToken cancellationToken)
    {
        if (await MockBehaviour.SimulateAsync(call.Target.Provider.Settings, UpstreamClock.Of(call.Context), time, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            await call.WriteErrorAsync(failure.Error).ConfigureAwait(false);
            return failure.Outcome;
        }

        var request = call.Request;
        var (answer, usage) = request.Operation switch
        {
            UpstreamOperation.Embeddings => Embeddings(request, call.Target.Model.UpstreamSlug),
            UpstreamOperation.ImageGenerations => Images(request),
            UpstreamOperation.Rerank => Rerank(request),
            UpstreamOperation.Tokenize => Tokenize(request),
            UpstreamOperation.Detokenize => Detokenize(request),
            _ => throw new InvalidOperationException($"The mock provider has no answer for {request.Operation}."),
        };
        await call.Surface.WriteAnswerAsync(call.Context, request, answer, cancellationToken).ConfigureAwait(false);
        return new ChatOutcome(200, usage, false, null, null, 0);
    }

    private static (ReadOnlyMemory<byte>, TokenUsage) Embeddings(OperationRequest request, string slug)
    {
        var inputs = Inputs(request.Body["input"]);
        var tokens = inputs.Sum(input => input.Tokens);
        var answer = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < inputs.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                EmbeddingVectors.Write(writer, "embedding", Vector(slug + "\n" + inputs[i].Text, request.Dimensions ?? DefaultDimensions), request.Base64);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", request.Model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", tokens);
            writer.WriteNumber("total_tokens", tokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return (answer, new TokenUsage { InputTokens = tokens });
    }

    private (ReadOnlyMemory<byte>, TokenUsage) Images(OperationRequest request)
    {
        var asUrl = request.Body["response_format"] is JsonValue format && format.TryGetValue<string>(out var name) && name == "url";
        var answer = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("created", time.GetUtcNow().ToUnixTimeSeconds());
            writer.WriteStartArray("data");
            for (var i = 0; i < request.ImageCount; i++)
            {
                writer.WriteStartObject();
                if (asUrl)
                {
                    writer.WriteString("url", "data:image/png;base64," + Convert.ToBase64String(Png));
                }
                else
                {
                    writer.WriteBase64String("b64_json", Png);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return (answer, new TokenUsage { Images = request.ImageCount });
    }

    private static (ReadOnlyMemory<byte>, TokenUsage) Rerank(OperationRequest request)
    {
        var query = Words(request.Body["query"]!.GetValue<string>());
        var documents = request.Body["documents"]!.AsArray().Select(d => d is JsonObject item ? item["text"]!.GetValue<string>() : d!.GetValue<string>()).ToArray();
        var topN = request.Body["top_n"] is JsonValue n && n.TryGetValue<int>(out var count) ? count : documents.Length;
        var ranked = documents
            .Select((text, index) => (Index: index, Text: text, Score: query.Count == 0 ? 0 : Words(text).Count(query.Contains) / (double)query.Count))
            .OrderByDescending(d => d.Score).ThenBy(d => d.Index).Take(topN).ToArray();
        var answer = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", "rerank-mock");
            writer.WriteString("model", request.Model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("total_tokens", request.EstimatedInputTokens);
            writer.WriteEndObject();
            writer.WriteStartArray("results");
            foreach (var (index, text, score) in ranked)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                writer.WriteStartObject("document");
                writer.WriteString("text", text);
                writer.WriteEndObject();
                writer.WriteNumber("relevance_score", score);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return (answer, new TokenUsage { InputTokens = request.EstimatedInputTokens });
    }

    private static (ReadOnlyMemory<byte>, TokenUsage) Tokenize(OperationRequest request)
    {
        var text = request.Body["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var p)
            ? p
            : string.Join('\n', request.Body["messages"]!.AsArray().Select(m => m?["content"]?.ToString() ?? ""));
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = Enumerable.Range(0, (bytes.Length + 2) / 3)
            .Select(i => bytes.AsSpan(i * 3, Math.Min(3, bytes.Length - (i * 3))).ToArray())
            .Select(chunk => (chunk.Length << 24) | chunk.Select((b, j) => b << (8 * (2 - j))).Sum())
            .ToArray();
        var answer = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("count", tokens.Length);
            writer.WriteNumber("max_model_len", 8192);
            writer.WriteStartArray("tokens");
            foreach (var token in tokens)
            {
                writer.WriteNumberValue(token);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return (answer, default);
    }

    private static (ReadOnlyMemory<byte>, TokenUsage) Detokenize(OperationRequest request)
    {
        var bytes = request.Body["tokens"]!.AsArray()
            .Select(t => t!.GetValue<long>())
            .SelectMany(token => Enumerable.Range(0, (int)Math.Clamp(token >> 24, 0, 3)).Select(j => (byte)((token >> (8 * (2 - j))) & 0xFF)))
            .ToArray();
        var answer = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("prompt", Encoding.UTF8.GetString(bytes));
            writer.WriteEndObject();
        });
        return (answer, default);
    }

    /// <summary>Each input as text (token ids written out) with its token count.</summary>
    private static (string Text, long Tokens)[] Inputs(JsonNode? input) => input switch
    {
        JsonValue value => [(value.GetValue<string>(), TextTokens(value.GetValue<string>()))],
        JsonArray array when array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) => array.Select(i => (i!.GetValue<string>(), TextTokens(i.GetValue<string>()))).ToArray(),
        JsonArray array when array.All(i => i is JsonValue) => [(array.ToJsonString(), array.Count)],
        JsonArray array => array.Select(i => (i!.ToJsonString(), (long)i.AsArray().Count)).ToArray(),
        _ => [],
    };

    private static long TextTokens(string text) => Math.Max(1, (text.Length + 3) / 4);

    /// <summary>A unit vector seeded by the text's hash: the same text always embeds the same way.</summary>
    private static float[] Vector(string text, int dimensions)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var state = BitConverter.ToUInt64(seed, 0) | 1;
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            // xorshift64: cheap, deterministic, and spread enough for a stand-in embedding.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            vector[i] = (float)((state >> 11) * (1.0 / (1UL << 53)) * 2 - 1);
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static HashSet<string> Words(string text) =>
        text.Split([' ', '\t', '\n', '.', ',', '?', '!', ';', ':'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    private static ReadOnlyMemory<byte> Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}
