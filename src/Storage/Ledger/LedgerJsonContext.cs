using System.Text.Json.Serialization;
using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>The spool and dead-letter files' JSON, generated at build time: snake_case, enums by name, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageRecord))]
[JsonSerializable(typeof(DeadLetterEntry))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
