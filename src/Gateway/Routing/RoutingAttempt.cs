using System.Text.Json;

namespace Odock.Gateway.Routing;

/// <summary>One model tried for a request: which, through which provider, how it ended, and how long it took.</summary>
internal sealed record RoutingAttempt(string Model, string Provider, int Status, string? ErrorCode, long LatencyMs)
{
    /// <summary>The ledger's <c>RoutingJson</c>: <c>{"attempts":[{"model","provider","status","error","latency_ms"}]}</c>.</summary>
    public static string ToJson(IReadOnlyList<RoutingAttempt> attempts)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("attempts");
            WriteAll(writer, attempts);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static void WriteAll(Utf8JsonWriter writer, IEnumerable<RoutingAttempt> attempts)
    {
        writer.WriteStartArray();
        foreach (var attempt in attempts)
        {
            writer.WriteStartObject();
            writer.WriteString("model", attempt.Model);
            writer.WriteString("provider", attempt.Provider);
            writer.WriteNumber("status", attempt.Status);
            if (attempt.ErrorCode is null)
            {
                writer.WriteNull("error");
            }
            else
            {
                writer.WriteString("error", attempt.ErrorCode);
            }

            writer.WriteNumber("latency_ms", attempt.LatencyMs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
