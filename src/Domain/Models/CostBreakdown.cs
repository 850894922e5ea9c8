using System.Buffers;
using System.Text;
using System.Text.Json;
using Odock.Domain.Common;

namespace Odock.Domain.Models;

/// <summary>
/// The cost of one call by price component; <see cref="Total"/> is what budgets are charged. <see cref="Audio"/> is
/// audio input; the components after it were added later and default to zero so older callers keep compiling.
/// </summary>
public sealed record CostBreakdown(
    string Currency,
    decimal Input,
    decimal CachedInput,
    decimal CacheWrite,
    decimal Output,
    decimal Reasoning,
    decimal Request,
    decimal Images,
    decimal Audio,
    decimal CacheWriteOneHour = 0m,
    decimal AudioOutput = 0m,
    decimal Characters = 0m,
    decimal Embeddings = 0m,
    decimal HostedTools = 0m)
{
    public decimal Total => Input + CachedInput + CacheWrite + CacheWriteOneHour + Output + Reasoning + Request + Images + Audio + AudioOutput
        + Characters + Embeddings + HostedTools;

    public static CostBreakdown Zero(string currency) => new(currency, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_jsonBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_jsonWriter;

    /// <summary>
    /// The charge by component, for invoices and audits to explain a ledger row's cost: the currency and every component
    /// that is not zero, in the order docs/PRICING.md lists the prices (<c>{"currency":"USD","input":0.018,"output":0.015}</c>).
    /// </summary>
    /// <remarks>One buffer and writer per thread, reset for each call: the string is the only allocation.</remarks>
    public string ToJson()
    {
        var buffer = t_jsonBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = t_jsonWriter ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("currency"u8, Currency);
        Component(json, "input"u8, Input);
        Component(json, "cached_input"u8, CachedInput);
        Component(json, "cache_write"u8, CacheWrite);
        Component(json, "cache_write_one_hour"u8, CacheWriteOneHour);
        Component(json, "output"u8, Output);
        Component(json, "reasoning"u8, Reasoning);
        Component(json, "embeddings"u8, Embeddings);
        Component(json, "request"u8, Request);
        Component(json, "images"u8, Images);
        Component(json, "audio"u8, Audio);
        Component(json, "audio_output"u8, AudioOutput);
        Component(json, "characters"u8, Characters);
        Component(json, "hosted_tools"u8, HostedTools);
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
