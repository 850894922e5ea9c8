using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster;
using Odock.Gateway.Auth;
using Odock.Gateway.Errors;
using Odock.Gateway.Resolution;
using Odock.Grains.Catalog;
using Odock.Grains.Governance;

namespace Odock.Gateway.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: only the enabled models the key may use, in OpenAI's list shape.</summary>
internal sealed class ModelsEndpoint(GovernanceClient governance, CatalogCache catalogs)
{
    public async Task ListAsync(HttpContext context, string? single)
    {
        try
        {
            var admission = await governance.AdmitAsync(ApiKeyExtractor.Extract(context.Request), context.Connection.RemoteIpAddress?.ToString() ?? "unknown", 0).ConfigureAwait(false);
            if (admission.Grant is not { } grant)
            {
                await OpenAiErrorWriter.WriteAsync(context, GatewayError.From(admission.Refusal!)).ConfigureAwait(false);
                return;
            }

            var catalog = await catalogs.GetAsync(grant.OrganisationId).ConfigureAwait(false);
            var models = (catalog?.Models ?? []).Where(m => m.Enabled && grant.ModelGrants.Contains(m.Id)).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
            if (single is not null)
            {
                var model = models.FirstOrDefault(m => m.Name == single);
                if (model is null)
                {
                    await OpenAiErrorWriter.WriteAsync(context, new GatewayError(404, "model_not_found", $"The model '{single}' does not exist.", "model")).ConfigureAwait(false);
                    return;
                }

                await WriteAsync(context, writer => WriteModel(writer, model)).ConfigureAwait(false);
                return;
            }

            await WriteAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("object", "list");
                writer.WriteStartArray("data");
                foreach (var model in models)
                {
                    WriteModel(writer, model);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException)
        {
            await OpenAiErrorWriter.WriteAsync(context, GatewayError.ClusterUnavailable()).ConfigureAwait(false);
        }
    }

    private static void WriteModel(Utf8JsonWriter writer, CatalogModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Name);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        writer.WriteString("owned_by", "odock");
        writer.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        write(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
