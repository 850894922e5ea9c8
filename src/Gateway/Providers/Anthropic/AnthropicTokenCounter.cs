using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Providers;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Providers.Anthropic;

/// <summary>
/// Answers <c>POST /v1/messages/count_tokens</c> with <c>{"input_tokens": n}</c>: an Anthropic model's count comes from
/// the provider's own <c>count_tokens</c> (the body as the client sent it, the model replaced by the upstream slug);
/// every other model's is the gateway's estimate, since their providers count differently or not at all.
/// </summary>
internal sealed class AnthropicTokenCounter(HttpMessageInvoker http, GatewayOptions options)
{
    public async Task AnswerAsync(HttpContext context, ChatRequest request, ResolvedModel target)
    {
        if (target.Provider.Type != ProviderType.Anthropic || request.NativeBody is null)
        {
            await WriteCountAsync(context, request.EstimatedInputTokens).ConfigureAwait(false);
            return;
        }

        using var upstream = BuildRequest(request, target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.UpstreamTimeout);
        try
        {
            using var response = await http.SendAsync(upstream, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = await Upstream.ReadErrorBodyAsync(response, timeout.Token).ConfigureAwait(false);
            if (status is >= 200 and < 300 && InputTokens(body) is { } counted)
            {
                await WriteCountAsync(context, counted).ConfigureAwait(false);
            }
            else if (status is >= 400 and < 500)
            {
                // Already Anthropic's error shape: relayed as the provider wrote it.
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await AnthropicErrorWriter.WriteAsync(context, new GatewayError(502, "upstream_error", $"The provider could not count the tokens (HTTP {status}).")).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await AnthropicErrorWriter.WriteAsync(context, new GatewayError(504, "upstream_timeout", $"The provider did not answer within {options.UpstreamTimeout.TotalSeconds:0} s.")).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await AnthropicErrorWriter.WriteAsync(context, new GatewayError(502, "upstream_unreachable", $"The provider could not be reached: {ex.Message}")).ConfigureAwait(false);
        }
    }

    private static HttpRequestMessage BuildRequest(ChatRequest request, ResolvedModel target)
    {
        var body = request.NativeBody!;
        body["model"] = target.Model.UpstreamSlug;
        var baseUrl = (target.Provider.BaseUrl ?? "https://api.anthropic.com").TrimEnd('/');
        var message = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/messages/count_tokens")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (target.ProviderSecret is { Length: > 0 } secret)
        {
            message.Headers.TryAddWithoutValidation("x-api-key", secret);
        }

        message.Headers.TryAddWithoutValidation("anthropic-version", request.NativeHeaders.TryGetValue("anthropic-version", out var version) ? version : AnthropicMessagesProvider.DefaultVersion);
        if (request.NativeHeaders.TryGetValue("anthropic-beta", out var beta))
        {
            message.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        return message;
    }

    private static long? InputTokens(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input_tokens", out var tokens)
                && tokens.TryGetInt64(out var count) ? count : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteCountAsync(HttpContext context, long tokens)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens", tokens);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
