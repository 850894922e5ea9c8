using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Odock.Gateway.Chat;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Bench.Gateway;

/// <summary>
/// A chat body's way through the gateway to an OpenAI-format provider: parsed and checked, its input tokens
/// estimated, and the provider's copy written with the model's upstream name and the reserved output limit.
/// <see cref="FromClientBytes"/> is an OpenAI client's body, copied from its bytes; <see cref="FromTree"/> writes the
/// same body from a tree, the way a body translated from another family goes.
/// </summary>
[MemoryDiagnoser]
public class ChatBodyBenchmarks
{
    private static readonly UpstreamChatEdits Edits = new("gpt-4.1-mini-2025-04-14", "max_completion_tokens", 4096, IncludeUsage: false);
    private byte[] _body = null!;

    [Params("harness", "agent")]
    public string Body { get; set; } = "harness";

    [GlobalSetup]
    public void Setup() => _body = Body == "harness" ? ChatBodies.Harness : ChatBodies.Agent;

    [Benchmark(Baseline = true)]
    public byte[] FromClientBytes()
    {
        using var request = OpenAiChatParser.Parse(_body).Request!;
        return OpenAiUpstreamBody.Write(request, Edits);
    }

    [Benchmark]
    public byte[] FromTree()
    {
        using var request = OpenAiChatParser.Parse(_body).Request!;
        _ = request.Body.Count;
        return OpenAiUpstreamBody.Write(request, Edits);
    }
}

/// <summary>
/// The usage of a whole chat completion, as the gateway reads it to charge the call: <see cref="FromBytes"/> reads past
/// everything but the usage object; <see cref="FromDocument"/> parses the whole answer first (what a streamed chunk,
/// which is small, still gets). The harness's answer, and one of about 4 KB of text.
/// </summary>
[MemoryDiagnoser]
public class CompletionUsageBenchmarks
{
    private byte[] _answer = null!;

    [Params("harness", "long")]
    public string Answer { get; set; } = "harness";

    [GlobalSetup]
    public void Setup()
    {
        var text = Answer == "harness" ? "Hello! How can I help you today?" : string.Concat(Enumerable.Repeat("The catalogue timed out in eu-west between 02:10 and 02:40; retries absorbed most of it. ", 45));
        _answer = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = "chatcmpl-bench", ["object"] = "chat.completion", ["created"] = 1_700_000_000, ["model"] = "gpt-4.1-mini-2025-04-14",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["finish_reason"] = "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 21, ["completion_tokens"] = 9, ["total_tokens"] = 30, ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 } },
        }.ToJsonString());
    }

    [Benchmark]
    public long FromBytes() => OpenAiUsage.TryReadCompletion(_answer, out var usage, out _) ? usage.OutputTokens : -1;

    [Benchmark(Baseline = true)]
    public long FromDocument()
    {
        using var document = JsonDocument.Parse(_answer);
        return OpenAiUsage.TryRead(document.RootElement, out var usage, out _) ? usage.OutputTokens : -1;
    }
}

/// <summary>Request bodies: the load harness's, and an agent's turn (a system prompt, a conversation with a tool call and its result, two tools).</summary>
internal static class ChatBodies
{
    public static readonly byte[] Harness = """{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}"""u8.ToArray();

    public static readonly byte[] Agent = Encoding.UTF8.GetBytes(AgentJson());

    private static string AgentJson()
    {
        var paragraph = string.Concat(Enumerable.Repeat("The deployment runs in three regions; each keeps its own replica of the catalogue and answers reads locally. ", 6));
        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "system", ["content"] = "You are the operations assistant for a platform team. " + paragraph },
            new JsonObject { ["role"] = "user", ["content"] = "Which regions saw errors last night? " + paragraph },
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = "call_8f2a", ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "search_logs", ["arguments"] = """{"query":"level:error","since":"2026-11-23T18:00:00Z"}""" },
                }),
            },
            new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_8f2a", ["content"] = "eu-west: 14 errors (timeouts to the catalogue); us-east: 0; ap-south: 2 (certificate renewal). " + paragraph },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Summarise that for the incident channel, in three bullet points." }) },
        };
        var parameters = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["query"] = new JsonObject { ["type"] = "string" }, ["since"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" } }, ["required"] = new JsonArray("query") };
        var tools = new JsonArray(
            new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "search_logs", ["description"] = "Searches the platform's logs.", ["parameters"] = parameters } },
            new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "page_oncall", ["description"] = "Pages the engineer on call.", ["parameters"] = parameters.DeepClone() } });
        return new JsonObject { ["model"] = "ops-assistant", ["messages"] = messages, ["tools"] = tools, ["temperature"] = 0.2, ["stream"] = false }.ToJsonString();
    }
}
