using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Operations;
using Odock.Gateway.Usage;

namespace Odock.Gateway.Providers.Gemini;

/// <summary>
/// Embeddings on Gemini models, at <c>{base}/v1beta/models/{slug}:embedContent</c> or <c>:batchEmbedContents</c> with
/// the provider key in <c>x-goog-api-key</c>. A Gemini client's body goes upstream as sent (its <c>model</c> fields
/// naming the upstream slug) and the answer comes back untouched. An OpenAI client's inputs become one
/// <c>batchEmbedContents</c> call, and the answer an OpenAI embeddings list, base64-encoded here when the client asked.
/// Gemini reports no tokens for embeddings, so the charge is Odock's estimate, and the ledger row says so.
/// </summary>
internal sealed class GeminiEmbeddingsProvider(HttpMessageInvoker http, GatewayOptions options) : IOperationProvider
{
    private const string DefaultBaseUrl = "https://generativelanguage.googleapis.com";

    public async Task<ChatOutcome> SendAsync(OperationCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var native = call.Request.NativeBody is not null;
        using var upstream = BuildRequest(call, native);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (response, failure) = await Upstream.SendAsync(http, upstream, call.WriteErrorAsync, UpstreamClock.Of(call.Context), options.UpstreamTimeout, timeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        using (response)
        {
            var firstByte = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            try
            {
                return response.IsSuccessStatusCode
                    ? await RelayBodyAsync(call, response, native, firstByte, timeout.Token).ConfigureAwait(false)
                    : await RelayErrorAsync(call, response, native, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await call.WriteErrorAsync(new GatewayError(504, "upstream_timeout", "The provider stopped answering.")).ConfigureAwait(false);
                return ChatOutcome.Failed(504, "upstream_timeout");
            }
        }
    }

    private static HttpRequestMessage BuildRequest(OperationCall call, bool native)
    {
        var slug = call.Target.Model.UpstreamSlug;
        var modelPath = "models/" + slug;
        JsonObject body;
        string method;
        if (native)
        {
            body = call.Request.NativeBody!;
            method = call.Request.NativeMethod!;
            if (body["requests"] is JsonArray requests)
            {
                foreach (var request in requests.OfType<JsonObject>())
                {
                    request["model"] = modelPath;
                }
            }
            else
            {
                body.Remove("model");
            }
        }
        else
        {
            body = Translate(call.Request, modelPath);
            method = "batchEmbedContents";
        }

        var baseUrl = (call.Target.Provider.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');
        var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/v1beta/models/{Uri.EscapeDataString(slug)}:{method}")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (call.Target.ProviderSecret is { Length: > 0 } secret)
        {
            message.Headers.TryAddWithoutValidation("x-goog-api-key", secret);
        }

        return message;
    }

    /// <summary>One Gemini request per OpenAI input, in order.</summary>
    private static JsonObject Translate(OperationRequest request, string modelPath)
    {
        var requests = new JsonArray();
        foreach (var text in request.Input!.Texts!)
        {
            var item = new JsonObject
            {
                ["model"] = modelPath,
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) },
            };
            if (request.Dimensions is { } dimensions)
            {
                item["outputDimensionality"] = dimensions;
            }

            requests.Add(item);
        }

        return new JsonObject { ["requests"] = requests };
    }

    private static async Task<ChatOutcome> RelayBodyAsync(OperationCall call, HttpResponseMessage response, bool native, long firstByte, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte> answer;
        try
        {
            using var document = JsonDocument.Parse(body);
            answer = native ? body : ToOpenAi(document.RootElement, call.Request);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            await call.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not a valid embeddings response.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        if (native)
        {
            var client = call.Context.Response;
            client.StatusCode = StatusCodes.Status200OK;
            client.ContentType = "application/json";
            await client.Body.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await call.Surface.WriteAnswerAsync(call.Context, call.Request, answer, cancellationToken).ConfigureAwait(false);
        }

        var usage = new TokenUsage { InputTokens = call.Request.EstimatedInputTokens };
        return new ChatOutcome(200, usage, true, null, EstimatedUsage.Json(usage), firstByte);
    }

    /// <summary><c>{"embeddings":[{"values"}]}</c> as OpenAI's list, with the estimate as its usage.</summary>
    private static ReadOnlyMemory<byte> ToOpenAi(JsonElement answer, OperationRequest request)
    {
        var embeddings = answer.GetProperty("embeddings").EnumerateArray().Select(e => EmbeddingVectors.Read(e.GetProperty("values"))).ToArray();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < embeddings.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                EmbeddingVectors.Write(writer, "embedding", embeddings[i], request.Base64);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", request.Model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", request.EstimatedInputTokens);
            writer.WriteNumber("total_tokens", request.EstimatedInputTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static async Task<ChatOutcome> RelayErrorAsync(OperationCall call, HttpResponseMessage response, bool native, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500)
        {
            var body = await Upstream.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (native)
            {
                // Already Google's error shape: relayed as the provider wrote it.
                var client = call.Context.Response;
                client.StatusCode = status;
                client.ContentType = "application/json";
                await client.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await call.Surface.WriteProviderErrorAsync(call.Context, status, GeminiProvider.OpenAiShapedError(body, status), cancellationToken).ConfigureAwait(false);
            }

            return ChatOutcome.Failed(status, "upstream_client_error");
        }

        await call.WriteErrorAsync(new GatewayError(502, "upstream_error", $"The provider failed with HTTP {status}.")).ConfigureAwait(false);
        return ChatOutcome.Failed(502, "upstream_error");
    }
}
