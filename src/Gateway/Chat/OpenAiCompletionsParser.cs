using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Operations;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Chat;

/// <summary>
/// Reads <c>POST /v1/completions</c> (legacy text completions, as vLLM and OpenAI-compatible servers serve them) into
/// the internal request the chat adapters send: <c>model</c>, <c>prompt</c> in any of OpenAI's forms,
/// <c>max_tokens</c>, <c>stream</c> and <c>stream_options</c>; everything else goes upstream as sent.
/// </summary>
internal static class OpenAiCompletionsParser
{
    public static (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body)
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

        var (prompt, promptError) = PromptInput.Read(root["prompt"], "prompt");
        if (prompt is null)
        {
            return (null, promptError);
        }

        if (!JsonBody.TryBool(root, "stream", out var stream))
        {
            return (null, GatewayError.BadRequest("'stream' must be a boolean.", "stream"));
        }

        if (!JsonBody.TryPositive(root, "max_tokens", out var maxTokens))
        {
            return (null, GatewayError.BadRequest("'max_tokens' must be a positive integer.", "max_tokens"));
        }

        // best_of completions are generated (and billed) server-side, of which n are returned, for each prompt of a
        // batch: a batch of 100 prompts with max_tokens 1,000 may write 100,000 tokens.
        var choices = 1;
        foreach (var name in (ReadOnlySpan<string>)["n", "best_of"])
        {
            if (!JsonBody.TryPositive(root, name, out var count) || count > ChatRequest.MaxChoices)
            {
                return (null, GatewayError.BadRequest($"'{name}' must be an integer from 1 to {ChatRequest.MaxChoices}.", name));
            }

            choices = Math.Max(choices, (int)(count ?? 1));
        }

        var wantsUsage = root["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include && include.GetValueKind() == JsonValueKind.True;
        return (new ChatRequest
        {
            Family = Families.ApiFamily.OpenAi,
            Operation = UpstreamOperation.Completions,
            Body = root,
            Model = model,
            Stream = stream,
            ClientWantsStreamUsage = wantsUsage,
            MaxOutputTokens = maxTokens,
            Choices = (int)Math.Min((long)choices * prompt.Count, int.MaxValue),
            Prompts = prompt.Count,
            EstimatedInputTokens = prompt.EstimatedTokens,
        }, null);
    }
}
