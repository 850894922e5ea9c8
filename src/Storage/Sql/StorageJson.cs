using System.Text.Json;
using System.Text.Json.Serialization;
using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Domain.Mcp;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Routing;

namespace Odock.Storage.Sql;

/// <summary>The JSON documents kept in text columns: policies, pricing, routing, lists and maps.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    Converters = [typeof(WireNameJsonConverter<RoutingStrategy>), typeof(ModelPriceScheduleJsonConverter), typeof(WireNameJsonConverter<InvoiceLineKind>)])]
[JsonSerializable(typeof(ResourcePolicy))]
[JsonSerializable(typeof(RoutingPolicy))]
[JsonSerializable(typeof(ModelPricing))]
[JsonSerializable(typeof(ModelPriceSchedule))]
[JsonSerializable(typeof(StoredPriceSchedule))]
[JsonSerializable(typeof(McpPricing))]
[JsonSerializable(typeof(CostBreakdown))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<InvoiceLine>))]
[JsonSerializable(typeof(List<InvoiceTotal>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

/// <summary>Pricing as people send it: the stored form, with a field that is no price refused.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ModelPricing))]
[JsonSerializable(typeof(StoredPriceSchedule))]
internal sealed partial class StrictPricingJsonContext : JsonSerializerContext;

internal static class StorageJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, typeof(T), StorageJsonContext.Default);

    public static T Read<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, typeof(T), StorageJsonContext.Default) ?? throw new JsonException($"Stored {typeof(T).Name} is null."));

    public static string WriteList(IEnumerable<string> values) => Write(values.ToList());

    public static List<string> ReadList(string json) => Read<List<string>>(json);

    public static string WriteMap(IReadOnlyDictionary<string, string> values) => Write(new Dictionary<string, string>(values, StringComparer.Ordinal));

    public static Dictionary<string, string> ReadMap(string json) => Read<Dictionary<string, string>>(json);
}
