using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers.Mock;

/// <summary>
/// The built-in offline provider: answers chat and legacy text completions in OpenAI's format without leaving the
/// process, deterministically (the same request gets the same answer) with realistic usage (input from the estimate,
/// output one token per word, for each answer asked for: OpenAI's <c>n</c>, and for the legacy completions <c>n</c> for
/// each prompt, with <c>best_of</c> billed as generated). Provider settings tune it: <c>latency_ms</c> (before the
/// first byte), <c>fail_status</c> (answer every call with that status); see <see cref="MockBehaviour"/>.
/// </summary>
internal sealed class MockChatProvider(TimeProvider time) : IChatProvider
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChatOutcome> SendAsync(ChatCall call, IChatSink sink, CancellationToken cancellationToken)
    {
        if (await MockBehaviour.SimulateAsync(call.Target.Provider.Settings, UpstreamClock.Of(sink.Response.HttpContext), time, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            await sink.WriteErrorAsync(failure.Error).ConfigureAwait(false);
            return failure.Outcome;
        }

        var words = Words(call);
        var answers = Answers(call.Request);
        var usage = new TokenUsage { InputTokens = call.Request.EstimatedInputTokens, OutputTokens = (long)words.Length * call.Request.Choices };
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var legacy = call.Request.Operation == UpstreamOperation.Completions;
        var id = (legacy ? "cmpl-" : "chatcmpl-") + call.RequestId;
        var (completionKind, chunkKind) = legacy ? ("text_completion", "text_completion") : ("chat.completion", "chat.completion.chunk");
        var finish = words.Length >= call.OutputLimit ? "length" : "stop";
        if (!call.Request.Stream)
        {
            await sink.WriteCompletionAsync(Json(writer =>
            {
                writer.WriteStartObject();
                WriteHeader(writer, id, completionKind, created, call.Request.Model);
                writer.WriteStartArray("choices");
                for (var answer = 0; answer < answers; answer++)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", answer);
                    if (legacy)
                    {
                        writer.WriteString("text", string.Join(' ', words));
                        writer.WriteNull("logprobs");
                    }
                    else
                    {
                        writer.WriteStartObject("message");
                        writer.WriteString("role", "assistant");
                        writer.WriteString("content", string.Join(' ', words));
                        writer.WriteEndObject();
                    }

                    writer.WriteString("finish_reason", finish);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                WriteUsage(writer, usage);
                writer.WriteEndObject();
            }), cancellationToken).ConfigureAwait(false);
            return new ChatOutcome(200, usage, false, null, null, 0);
        }

        await sink.StartStreamAsync(cancellationToken).ConfigureAwait(false);
        for (var step = 0; step < (words.Length + 1) * answers; step++)
        {
            // Answers take turns, a word each, as a provider streams several: every chunk carries one, by its index.
            var (i, answer) = Math.DivRem(step, answers);
            await sink.WriteChunkAsync(Json(writer =>
            {
                writer.WriteStartObject();
                WriteHeader(writer, id, chunkKind, created, call.Request.Model);
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", answer);
                var piece = i == words.Length ? null : i == 0 ? words[i] : " " + words[i];
                if (legacy)
                {
                    writer.WriteString("text", piece ?? "");
                    writer.WriteNull("logprobs");
                }
                else
                {
                    writer.WriteStartObject("delta");
                    if (i == 0)
                    {
                        writer.WriteString("role", "assistant");
                    }

                    if (piece is not null)
                    {
                        writer.WriteString("content", piece);
                    }

                    writer.WriteEndObject();
                }

                if (piece is null)
                {
                    writer.WriteString("finish_reason", finish);
                }
                else
                {
                    writer.WriteNull("finish_reason");
                }

                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }), cancellationToken).ConfigureAwait(false);
        }

        await sink.WriteChunkAsync(Json(writer =>
        {
            writer.WriteStartObject();
            WriteHeader(writer, id, chunkKind, created, call.Request.Model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer, usage);
            writer.WriteEndObject();
        }), cancellationToken).ConfigureAwait(false);
        await sink.EndStreamAsync(cancellationToken).ConfigureAwait(false);
        return new ChatOutcome(200, usage, false, null, null, 0);
    }

    /// <summary>
    /// The answers returned: <c>n</c> (the legacy completions return <c>n</c> for each prompt, and <c>best_of</c> only
    /// changes what is generated and billed), every one the same sentence.
    /// </summary>
    private static int Answers(ChatRequest request)
    {
        if (request.Operation != UpstreamOperation.Completions)
        {
            return request.Choices;
        }

        var each = request.Body["n"] is JsonValue n && n.TryGetValue<int>(out var count) ? count : 1;
        return each * request.Prompts;
    }

    /// <summary>One sentence, one token per word, cut at the request's output limit (then <c>finish_reason</c> is <c>length</c>).</summary>
    private static string[] Words(ChatCall call)
    {
        var words = $"This is the Odock mock model {call.Target.Model.UpstreamSlug} answering a request of about {call.Request.EstimatedInputTokens} tokens.".Split(' ');
        return words[..(int)Math.Min(words.Length, call.OutputLimit)];
    }

    private static ReadOnlyMemory<byte> Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    private static void WriteHeader(Utf8JsonWriter writer, string id, string kind, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.InputTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }
}
