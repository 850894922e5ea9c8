using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// Reads an OpenAI <c>usage</c> object: input and output tokens, cached input tokens and reasoning tokens (cached inside
/// input, reasoning inside output). Chat completions and the Responses API count alike and name the fields differently.
/// </summary>
internal static class OpenAiUsage
{
    private static readonly FieldNames Chat = new("prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details");
    private static readonly FieldNames Responses = new("input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details");

    /// <summary>The usage of a chat completion or chunk (<c>prompt_tokens</c>, <c>completion_tokens</c>).</summary>
    public static bool TryRead(JsonElement root, out TokenUsage usage, out string? raw) => TryRead(root, Chat, out usage, out raw);

    /// <summary>
    /// The usage of a Responses API <c>response</c> object (<c>input_tokens</c>, <c>output_tokens</c>), with the calls of
    /// OpenAI's own tools it made (<see cref="HostedCalls"/>).
    /// </summary>
    public static bool TryReadResponse(JsonElement response, out TokenUsage usage, out string? raw)
    {
        var found = TryRead(response, Responses, out usage, out raw);
        usage = usage with { HostedToolCalls = HostedCalls(response) };
        return found;
    }

    /// <summary>
    /// The built-in tool calls among a response's output items, one per item: <c>web_search_call</c> is a call of
    /// <c>web_search</c>, <c>file_search_call</c> of <c>file_search</c>, and so on. Function and custom tool calls are
    /// the client's to run, not OpenAI's, and are not counted.
    /// </summary>
    public static HostedToolCalls? HostedCalls(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        List<KeyValuePair<string, long>>? calls = null;
        foreach (var item in output.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && HostedToolOf(type.GetString()) is { } tool)
            {
                (calls ??= []).Add(new(tool, 1));
            }
        }

        return calls is null ? null : HostedToolCalls.Of(calls);
    }

    /// <summary>The built-in tool an output item of this type is a call of (<c>web_search_call</c>: <c>web_search</c>); null for any other item.</summary>
    public static string? HostedToolOf(string? itemType) =>
        itemType is { Length: > 5 } name && name.EndsWith("_call", StringComparison.Ordinal) && name is not ("function_call" or "custom_tool_call") ? name[..^5] : null;

    /// <summary>
    /// The usage of a whole chat completion, read from its bytes: only the <c>usage</c> object becomes a document, the
    /// rest (the answer's text, most of it) is read past. Throws <see cref="JsonException"/> unless the bytes are one
    /// valid JSON value.
    /// </summary>
    public static bool TryReadCompletion(ReadOnlySpan<byte> json, out TokenUsage usage, out string? raw)
    {
        usage = default;
        raw = null;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException("The answer is empty.");
        }

        var found = false;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = !found && reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    using var document = JsonDocument.ParseValue(ref reader);
                    found = TryReadUsage(document.RootElement, Chat, out usage, out raw);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }

        // Past the one value only whitespace may follow; anything else throws here.
        reader.Read();
        return found;
    }

    private static bool TryRead(JsonElement root, FieldNames names, out TokenUsage usage, out string? raw)
    {
        usage = default;
        raw = null;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("usage", out var element) && TryReadUsage(element, names, out usage, out raw);
    }

    private static bool TryReadUsage(JsonElement element, FieldNames names, out TokenUsage usage, out string? raw)
    {
        usage = default;
        raw = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        raw = element.GetRawText();
        usage = new TokenUsage
        {
            InputTokens = Long(element, names.Input),
            OutputTokens = Long(element, names.Output),
            CachedInputTokens = element.TryGetProperty(names.InputDetails, out var input) ? Long(input, "cached_tokens") : 0,
            ReasoningTokens = element.TryGetProperty(names.OutputDetails, out var output) ? Long(output, "reasoning_tokens") : 0,
        };
        return true;
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private sealed record FieldNames(string Input, string Output, string InputDetails, string OutputDetails);
}
