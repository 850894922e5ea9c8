using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Gateway.Families;
using Odock.Gateway.Resolution;
using Odock.Grains.ApiKeys;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>One admitted request as it goes through governance: what is known about it so far, for its ledger row.</summary>
internal sealed class GatewayCall(IApiSurface surface, string requestId, DateTimeOffset occurredAt, long started, Admission admission)
{
    public IApiSurface Surface { get; } = surface;

    public string RequestId { get; } = requestId;

    /// <summary>When the request arrived, by the gateway's clock: the instant whose prices it is reserved and charged at.</summary>
    public DateTimeOffset OccurredAt { get; } = occurredAt;

    /// <summary>When the gateway first saw the request (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; } = started;

    public Admission Admission { get; } = admission;

    public KeyGrant Grant => Admission.Grant!;

    public string? RequestedModel { get; set; }

    public bool Streamed { get; set; }

    public ResolvedModel? Target { get; set; }

    /// <remarks>
    /// The row's id and the request id are time-ordered (UUID version 7), so the ledger's unique indexes on them grow at
    /// their right edge: a batch of rows dirties a few index pages instead of one random page per row per index, which
    /// on SQLite was most of the bytes each commit wrote (docs/BENCHMARKS.md, "Fourth round").
    /// </remarks>
    /// <param name="timeToFirstTokenMs">When the provider's first byte came, for forwarded calls.</param>
    /// <param name="tokensEstimated">The tokens are the gateway's estimate (a stream cut short, a provider silent on usage).</param>
    public UsageRecord ToRecord(int status, string? errorCode, TokenUsage tokens, CostBreakdown cost, string? providerUsage, long? timeToFirstTokenMs = null, bool tokensEstimated = false) => new()
    {
        Id = TimeOrderedId.Create(OccurredAt),
        RequestId = RequestId,
        OccurredAt = OccurredAt,
        Kind = UsageKind.Model,
        OrganisationId = Grant.OrganisationId,
        TeamId = Grant.TeamId,
        UserId = Grant.UserId,
        ApiKeyId = Grant.KeyId,
        Endpoint = Surface.Endpoint,
        RequestedModel = RequestedModel,
        ModelId = Target?.Model.Id,
        ModelName = Target?.Model.Name,
        ProviderId = Target?.Provider.Id,
        UpstreamSlug = Target?.Model.UpstreamSlug,
        HttpStatus = status,
        ErrorCode = errorCode,
        ErrorClass = UsageErrorClassifier.Classify(status, errorCode),
        Streamed = Streamed,
        LatencyMs = (long)Stopwatch.GetElapsedTime(Started).TotalMilliseconds,
        Tokens = tokens,
        Cost = cost.Total,
        Currency = cost.Currency,
        CostBreakdownJson = BreakdownJson(cost),
        ProviderUsageJson = providerUsage,
        TimeToFirstTokenMs = timeToFirstTokenMs,
        TokensEstimated = tokensEstimated,
        ClientDisconnected = status == 499,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_breakdownBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_breakdownWriter;

    /// <summary>
    /// The charge by component, for invoices and audits to explain a row's cost: the currency and every component that
    /// is not zero, in the order docs/PRICING.md lists the prices (<c>{"currency":"USD","input":0.018,"output":0.015}</c>).
    /// </summary>
    /// <remarks>One buffer and writer per thread, reset for each row: the string is the only allocation.</remarks>
    private static string BreakdownJson(CostBreakdown cost)
    {
        var buffer = t_breakdownBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = t_breakdownWriter ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("currency"u8, cost.Currency);
        Component(json, "input"u8, cost.Input);
        Component(json, "cached_input"u8, cost.CachedInput);
        Component(json, "cache_write"u8, cost.CacheWrite);
        Component(json, "cache_write_one_hour"u8, cost.CacheWriteOneHour);
        Component(json, "output"u8, cost.Output);
        Component(json, "reasoning"u8, cost.Reasoning);
        Component(json, "embeddings"u8, cost.Embeddings);
        Component(json, "request"u8, cost.Request);
        Component(json, "images"u8, cost.Images);
        Component(json, "audio"u8, cost.Audio);
        Component(json, "audio_output"u8, cost.AudioOutput);
        Component(json, "characters"u8, cost.Characters);
        json.WriteEndObject();
        json.Flush();

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Component(Utf8JsonWriter json, ReadOnlySpan<byte> name, decimal amount)
    {
        if (amount == 0m)
        {
            return;
        }

        // Without the trailing zeros of the pricing arithmetic's scale: 0.018, not 0.018000.
        Span<byte> digits = stackalloc byte[64];
        DecimalText.TryFormat(amount, digits, out var written);
        json.WritePropertyName(name);
        json.WriteRawValue(digits[..written], skipInputValidation: true);
    }
}
