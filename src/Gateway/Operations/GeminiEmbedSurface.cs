using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Operations;

/// <summary>
/// <c>POST /v1beta/models/{model}:embedContent</c> and <c>:batchEmbedContents</c>: Gemini's format in and out, whatever
/// provider serves the model. OpenAI-format answers become <c>{"embedding":{"values"}}</c> or
/// <c>{"embeddings":[{"values"}]}</c>, in input order; errors are written in Google's shape.
/// </summary>
internal sealed class GeminiEmbedSurface(GeminiRoute route) : IOperationSurface
{
    public string Endpoint => route.Method == GeminiMethod.BatchEmbedContents ? "gemini.batch_embed_contents" : "gemini.embed_content";

    public (OperationRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body) => GeminiEmbedParser.Parse(route, body);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => GeminiErrorWriter.WriteAsync(context, error);

    public async Task WriteAnswerAsync(HttpContext context, OperationRequest request, ReadOnlyMemory<byte> answer, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(answer);
        var vectors = document.RootElement.GetProperty("data").EnumerateArray()
            .OrderBy(item => item.TryGetProperty("index", out var index) ? index.GetInt32() : 0)
            .Select(item => EmbeddingVectors.Read(item.GetProperty("embedding")))
            .ToArray();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        if (route.Method == GeminiMethod.BatchEmbedContents)
        {
            writer.WriteStartArray("embeddings");
            foreach (var vector in vectors)
            {
                WriteEmbedding(writer, vector);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WritePropertyName("embedding");
            WriteEmbedding(writer, vectors[0]);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task WriteProviderErrorAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                message = text.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the generic message above says what is known.
        }

        return GeminiErrorWriter.WriteAsync(context, new GatewayError(status, "upstream_client_error", message));
    }

    private static void WriteEmbedding(Utf8JsonWriter writer, float[] vector)
    {
        writer.WriteStartObject();
        EmbeddingVectors.Write(writer, "values", vector, base64: false);
        writer.WriteEndObject();
    }
}
