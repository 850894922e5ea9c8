using System.Text.Json;
using System.Text.Json.Serialization;
using Odock.Domain.Models;
using Odock.Domain.Pricing;

namespace Odock.Storage.Sql;

/// <summary>
/// Stores a model's price schedule in its <c>pricing</c> column. A schedule of one undated entry is written as the plain
/// pricing object rows have always held, so older processes in a rolling upgrade still read it; anything longer is
/// written as <c>{"schedule":[...]}</c>. Reading accepts both, so rows written before schedules existed read unchanged.
/// Stored rows are read leniently (a price a newer process added is skipped by an older one); what people send, the
/// admin API's requests, is read by <see cref="Strict"/>, which refuses a field no price has.
/// </summary>
public sealed class ModelPriceScheduleJsonConverter : JsonConverter<ModelPriceSchedule>
{
    private const string ScheduleProperty = "schedule";

    private readonly bool _strict;

    public ModelPriceScheduleJsonConverter()
    {
    }

    private ModelPriceScheduleJsonConverter(bool strict) => _strict = strict;

    /// <summary>
    /// Reads as this converter does, but refuses a field that is not a price, naming it: a misspelt price
    /// (<c>hosted_tools_prices</c>) would otherwise be dropped, and what it prices would be free.
    /// </summary>
    public static ModelPriceScheduleJsonConverter Strict { get; } = new(strict: true);

    public override ModelPriceSchedule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Stored model pricing must be a JSON object.");
        }

        if (!HasScheduleProperty(reader))
        {
            var single = JsonSerializer.Deserialize(ref reader, _strict ? StrictPricingJsonContext.Default.ModelPricing : StorageJsonContext.Default.ModelPricing)
                ?? throw new JsonException("Stored model pricing is null.");
            return ModelPriceSchedule.FromModelPricing(single);
        }

        var stored = JsonSerializer.Deserialize(ref reader, _strict ? StrictPricingJsonContext.Default.StoredPriceSchedule : StorageJsonContext.Default.StoredPriceSchedule)
            ?? throw new JsonException("Stored model price schedule is null.");
        return new ModelPriceSchedule { Entries = stored.Schedule };
    }

    public override void Write(Utf8JsonWriter writer, ModelPriceSchedule value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Entries is [{ EffectiveFrom: null } single])
        {
            JsonSerializer.Serialize(writer, single, StorageJsonContext.Default.ModelPricing);
            return;
        }

        JsonSerializer.Serialize(writer, new StoredPriceSchedule { Schedule = [.. value.Entries] }, StorageJsonContext.Default.StoredPriceSchedule);
    }

    // The reader is a struct: scanning a copy leaves the caller's position on the object's start.
    private static bool HasScheduleProperty(Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals(ScheduleProperty))
            {
                return true;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return false;
    }
}
