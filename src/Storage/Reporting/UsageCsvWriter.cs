using System.Globalization;
using System.Text;
using Odock.Domain.Common;
using Odock.Domain.Usage;

namespace Odock.Storage.Reporting;

/// <summary>
/// Ledger rows as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line
/// break), one row at a time through a small buffer. The provider's raw usage, cost breakdown and routing JSON are left
/// out: they are documents, not columns. Columns added later go at the end, so a column never moves for a script that
/// reads them by position.
/// </summary>
internal static class UsageCsvWriter
{
    public const string Header =
        "occurred_at,request_id,kind,organisation_id,team_id,user_id,api_key_id,endpoint,requested_model,model_id,model_name,"
        + "provider_id,upstream_slug,mcp_server_id,tool_name,http_status,error_code,error_class,streamed,client_disconnected,"
        + "tokens_estimated,routing_attempts,latency_ms,time_to_first_token_ms,input_tokens,cached_input_tokens,"
        + "cache_write_tokens,output_tokens,reasoning_tokens,images,audio_seconds,cost,currency,"
        + "cache_write_one_hour_tokens,image_size,image_quality,audio_output_seconds,characters,hosted_tool_calls";

    public static async Task<long> WriteAsync(IAsyncEnumerable<UsageRecord> records, Stream destination, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            writer.NewLine = "\r\n";
            await writer.WriteLineAsync(Header).ConfigureAwait(false);
            var count = 0L;
            var line = new StringBuilder(512);
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                line.Clear();
                Append(line, record);
                await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
                count++;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    private static void Append(StringBuilder line, UsageRecord r)
    {
        Field(line, r.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), first: true);
        Field(line, r.RequestId);
        Field(line, WireName.Of(r.Kind));
        Field(line, r.OrganisationId);
        Field(line, r.TeamId);
        Field(line, r.UserId);
        Field(line, r.ApiKeyId);
        Field(line, r.Endpoint);
        Field(line, r.RequestedModel);
        Field(line, r.ModelId);
        Field(line, r.ModelName);
        Field(line, r.ProviderId);
        Field(line, r.UpstreamSlug);
        Field(line, r.McpServerId);
        Field(line, r.ToolName);
        Field(line, r.HttpStatus);
        Field(line, r.ErrorCode);
        Field(line, r.ErrorClass is { } errorClass ? WireName.Of(errorClass) : null);
        Field(line, r.Streamed ? "true" : "false");
        Field(line, r.ClientDisconnected ? "true" : "false");
        Field(line, r.TokensEstimated ? "true" : "false");
        Field(line, r.RoutingAttempts);
        Field(line, r.LatencyMs);
        Field(line, r.TimeToFirstTokenMs);
        Field(line, r.Tokens.InputTokens);
        Field(line, r.Tokens.CachedInputTokens);
        Field(line, r.Tokens.CacheWriteTokens);
        Field(line, r.Tokens.OutputTokens);
        Field(line, r.Tokens.ReasoningTokens);
        Field(line, r.Tokens.Images);
        Field(line, Amount(r.Tokens.AudioSeconds));
        Field(line, Amount(r.Cost));
        Field(line, r.Currency);
        Field(line, r.Tokens.CacheWriteOneHourTokens);
        Field(line, r.Tokens.ImageSize);
        Field(line, r.Tokens.ImageQuality);
        Field(line, Amount(r.Tokens.AudioOutputSeconds));
        Field(line, r.Tokens.Characters);
        Field(line, r.Tokens.HostedToolCalls?.Total ?? 0);
    }

    /// <summary>Without the trailing zeros of the column's scale, so both engines export the same text for the same amount.</summary>
    private static string Amount(decimal value) => DecimalText.ToString(value);

    private static void Field(StringBuilder line, Guid? value) => Field(line, value?.ToString("D"));

    private static void Field(StringBuilder line, long? value) => Field(line, value?.ToString(CultureInfo.InvariantCulture));

    private static void Field(StringBuilder line, string? value, bool first = false)
    {
        if (!first)
        {
            line.Append(',');
        }

        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
