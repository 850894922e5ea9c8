namespace Odock.Storage.Ledger;

/// <summary>
/// The ledger columns the writer fills, in the order both sinks send them. <c>recorded_at</c> is left to the
/// database: it must be the database's clock at insert time for budget recovery (see docs/GOVERNANCE.md).
/// </summary>
internal static class LedgerColumns
{
    public static readonly string[] Names =
    [
        "id", "request_id", "occurred_at", "kind", "organisation_id", "team_id", "user_id", "api_key_id", "endpoint",
        "requested_model", "model_id", "model_name", "provider_id", "upstream_slug", "mcp_server_id", "tool_name",
        "http_status", "error_code", "streamed", "latency_ms", "time_to_first_token_ms", "error_class",
        "client_disconnected", "tokens_estimated", "routing_attempts", "input_tokens", "cached_input_tokens",
        "cache_write_tokens", "cache_write_one_hour_tokens", "output_tokens", "reasoning_tokens", "images", "image_size",
        "image_quality", "audio_seconds", "audio_output_seconds", "characters", "hosted_tool_calls", "cost", "currency",
        "cost_breakdown", "provider_usage", "routing",
    ];

    public static readonly string List = string.Join(", ", Names);
}
