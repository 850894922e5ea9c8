using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster;
using Odock.Domain.Models;
using Odock.Gateway.Auth;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Resolution;
using Odock.Grains.Catalog;
using Odock.Grains.Governance;

namespace Odock.Gateway.Endpoints;

/// <summary>
/// The model lists: only the enabled models the key may use, each family in its own shape. <c>GET /v1/models</c> and
/// <c>GET /v1/models/{model}</c> answer in OpenAI's shape, or in Anthropic's when the request carries
/// <c>anthropic-version</c> (as Anthropic's SDKs always do); <c>GET /v1beta/models</c> and
/// <c>GET /v1beta/models/{model}</c> answer in Gemini's. Errors come in the same family's shape.
/// </summary>
internal sealed class ModelsEndpoint(GovernanceClient governance, CatalogCache catalogs)
{
    public Task ListAsync(HttpContext context, string? single) => ListAsync(context, single, SharedPathFamily.Of(context.Request));

    public async Task ListAsync(HttpContext context, string? single, ApiFamily family)
    {
        var shape = Shapes[family];
        try
        {
            var admission = await governance.AdmitAsync(ApiKeyExtractor.Extract(context.Request), context.Connection.RemoteIpAddress?.ToString() ?? "unknown", 0).ConfigureAwait(false);
            if (admission.Grant is not { } grant)
            {
                await shape.WriteErrorAsync(context, GatewayError.From(admission.Refusal!)).ConfigureAwait(false);
                return;
            }

            var catalog = await catalogs.GetAsync(grant.OrganisationId).ConfigureAwait(false);
            var models = (catalog?.Models ?? []).Where(m => m.Enabled && grant.ModelGrants.Contains(m.Id)).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
            if (single is not null)
            {
                var model = models.FirstOrDefault(m => m.Name == single);
                if (model is null)
                {
                    await shape.WriteErrorAsync(context, new GatewayError(404, "model_not_found", $"The model '{single}' does not exist.", "model")).ConfigureAwait(false);
                    return;
                }

                await WriteAsync(context, writer => shape.WriteModel(writer, model)).ConfigureAwait(false);
                return;
            }

            await WriteAsync(context, writer => shape.WriteList(writer, models)).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException)
        {
            await shape.WriteErrorAsync(context, GatewayError.ClusterUnavailable()).ConfigureAwait(false);
        }
    }

    private static readonly Dictionary<ApiFamily, Shape> Shapes = new()
    {
        [ApiFamily.OpenAi] = new(OpenAiErrorWriter.WriteAsync, WriteOpenAiModel, WriteOpenAiList),
        [ApiFamily.Anthropic] = new(AnthropicErrorWriter.WriteAsync, WriteAnthropicModel, WriteAnthropicList),
        [ApiFamily.Gemini] = new(GeminiErrorWriter.WriteAsync, WriteGeminiModel, WriteGeminiList),
    };

    private static void WriteOpenAiList(Utf8JsonWriter writer, CatalogModel[] models)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        WriteEach(writer, "data", models, WriteOpenAiModel);
        writer.WriteEndObject();
    }

    /// <summary>OpenAI's model object; Odock keeps no creation time, so <c>created</c> is 0.</summary>
    private static void WriteOpenAiModel(Utf8JsonWriter writer, CatalogModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Name);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        writer.WriteString("owned_by", "odock");
        writer.WriteEndObject();
    }

    /// <summary>Anthropic's model object; <c>created_at</c> is the epoch, as OpenAI's <c>created</c> is 0.</summary>
    private static void WriteAnthropicModel(Utf8JsonWriter writer, CatalogModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "model");
        writer.WriteString("id", model.Name);
        writer.WriteString("display_name", model.Name);
        writer.WriteString("created_at", "1970-01-01T00:00:00Z");
        writer.WriteEndObject();
    }

    /// <summary>Anthropic's page of models: every model the key may use, on one page (no ids when there are none).</summary>
    private static void WriteAnthropicList(Utf8JsonWriter writer, CatalogModel[] models)
    {
        writer.WriteStartObject();
        WriteEach(writer, "data", models, WriteAnthropicModel);
        writer.WriteBoolean("has_more", false);
        writer.WriteString("first_id", models.Length > 0 ? models[0].Name : null);
        writer.WriteString("last_id", models.Length > 0 ? models[^1].Name : null);
        writer.WriteEndObject();
    }

    /// <summary>Gemini's model resource, with the methods Odock serves for a model of its type.</summary>
    private static void WriteGeminiModel(Utf8JsonWriter writer, CatalogModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("name", "models/" + model.Name);
        writer.WriteString("displayName", model.Name);
        writer.WriteStartArray("supportedGenerationMethods");
        foreach (var method in model.Type == ModelType.Embeddings ? (string[])["embedContent", "batchEmbedContents"] : ["generateContent", "streamGenerateContent", "countTokens"])
        {
            writer.WriteStringValue(method);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteGeminiList(Utf8JsonWriter writer, CatalogModel[] models)
    {
        writer.WriteStartObject();
        WriteEach(writer, "models", models, WriteGeminiModel);
        writer.WriteEndObject();
    }

    /// <summary>The models as the array <paramref name="name"/>, each written by <paramref name="write"/>.</summary>
    private static void WriteEach(Utf8JsonWriter writer, string name, CatalogModel[] models, Action<Utf8JsonWriter, CatalogModel> write)
    {
        writer.WriteStartArray(name);
        foreach (var model in models)
        {
            write(writer, model);
        }

        writer.WriteEndArray();
    }

    /// <summary>How one family writes its errors, one model and its list.</summary>
    private sealed record Shape(Func<HttpContext, GatewayError, Task> WriteErrorAsync, Action<Utf8JsonWriter, CatalogModel> WriteModel, Action<Utf8JsonWriter, CatalogModel[]> WriteList);

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        write(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
