using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster;
using Odock.Gateway.Auth;
using Odock.Domain.Models;
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
    /// <summary>The family of <c>/v1/models</c> a request is asking in.</summary>
    public static ApiFamily FamilyOf(HttpRequest request) =>
        request.Headers.ContainsKey("anthropic-version") ? ApiFamily.Anthropic : ApiFamily.OpenAi;

    public Task ListAsync(HttpContext context, string? single) => ListAsync(context, single, FamilyOf(context.Request));

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
        [ApiFamily.OpenAi] = new(OpenAiErrorWriter.WriteAsync, WriteOpenAiModel, (writer, models) => WriteList(writer, models, WriteOpenAiModel, "object", "list", "data")),
        [ApiFamily.Anthropic] = new(AnthropicErrorWriter.WriteAsync, WriteAnthropicModel, WriteAnthropicList),
        [ApiFamily.Gemini] = new(GeminiErrorWriter.WriteAsync, WriteGeminiModel, (writer, models) => WriteList(writer, models, WriteGeminiModel, null, null, "models")),
    };

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

    /// <summary>Anthropic's page of models: every model the key may use, on one page.</summary>
    private static void WriteAnthropicList(Utf8JsonWriter writer, CatalogModel[] models)
    {
        WriteList(writer, models, WriteAnthropicModel, null, null, "data", end: false);
        writer.WriteBoolean("has_more", false);
        WriteIdOrNull(writer, "first_id", models.Length > 0 ? models[0].Name : null);
        WriteIdOrNull(writer, "last_id", models.Length > 0 ? models[^1].Name : null);
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

    private static void WriteList(Utf8JsonWriter writer, CatalogModel[] models, Action<Utf8JsonWriter, CatalogModel> write, string? field, string? value, string array, bool end = true)
    {
        writer.WriteStartObject();
        if (field is not null)
        {
            writer.WriteString(field, value);
        }

        writer.WriteStartArray(array);
        foreach (var model in models)
        {
            write(writer, model);
        }

        writer.WriteEndArray();
        if (end)
        {
            writer.WriteEndObject();
        }
    }

    private static void WriteIdOrNull(Utf8JsonWriter writer, string name, string? id)
    {
        if (id is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, id);
        }
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
