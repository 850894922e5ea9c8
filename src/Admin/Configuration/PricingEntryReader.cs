using System.Globalization;
using Odock.Admin.Configuration.Document;
using Odock.Domain.Models;
using Odock.Domain.Pricing;

namespace Odock.Admin.Configuration;

/// <summary>
/// Turns a model's <c>pricing</c> entry into its price schedule, reporting what only the file can get wrong (dates that
/// do not parse, image or hosted tool prices left empty, rates written both directly and in a schedule). Rules on the
/// prices themselves are the domain's, checked when the model is validated.
/// </summary>
internal static class PricingEntryReader
{
    private const string DefaultCurrency = "USD";

    /// <summary>The schedule, or null after reporting each problem through <paramref name="problem"/>.</summary>
    public static ModelPriceSchedule? Read(ModelPricingEntry? entry, string path, Action<string, string> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (entry is null)
        {
            return ModelPriceSchedule.Free;
        }

        var currency = entry.Currency ?? DefaultCurrency;
        if (entry.Schedule is null)
        {
            return ToPricing(entry, currency, path, problem) is { } single ? ModelPriceSchedule.FromModelPricing(single) : null;
        }

        var valid = true;
        if (entry.HasRates || entry.EffectiveFrom is not null)
        {
            problem($"{path}.schedule", "write the prices either directly under pricing or as schedule entries, not both");
            valid = false;
        }

        var entries = new List<ModelPricing>(entry.Schedule.Count);
        for (var i = 0; i < entry.Schedule.Count; i++)
        {
            var item = entry.Schedule[i];
            var itemPath = $"{path}.schedule[{i}]";
            if (item.Schedule is not null)
            {
                problem($"{itemPath}.schedule", "a schedule entry cannot hold a schedule of its own");
                valid = false;
            }
            else if (ToPricing(item, item.Currency ?? currency, itemPath, problem) is { } pricing)
            {
                entries.Add(pricing);
            }
            else
            {
                valid = false;
            }
        }

        return valid ? new ModelPriceSchedule { Entries = entries } : null;
    }

    private static ModelPricing? ToPricing(ModelPricingEntry entry, string currency, string path, Action<string, string> problem)
    {
        var valid = true;
        DateTimeOffset? effectiveFrom = null;
        if (entry.EffectiveFrom is not null)
        {
            if (DateTimeOffset.TryParse(entry.EffectiveFrom, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                effectiveFrom = parsed;
            }
            else
            {
                problem($"{path}.effective_from", $"'{entry.EffectiveFrom}' is not an ISO 8601 instant (for example 2026-12-01T00:00:00Z)");
                valid = false;
            }
        }

        var imagePrices = Prices(entry.ImagePrices, $"{path}.image_prices", problem);
        var hostedToolPrices = Prices(entry.HostedToolPrices, $"{path}.hosted_tool_prices", problem);
        return valid && imagePrices is not null && hostedToolPrices is not null
            ? new ModelPricing
            {
                Currency = currency, EffectiveFrom = effectiveFrom, InputPerMillion = entry.InputPerMillion, CachedInputPerMillion = entry.CachedInputPerMillion,
                CacheWritePerMillion = entry.CacheWritePerMillion, CacheWriteOneHourPerMillion = entry.CacheWriteOneHourPerMillion,
                OutputPerMillion = entry.OutputPerMillion, ReasoningPerMillion = entry.ReasoningPerMillion, EmbeddingPerMillion = entry.EmbeddingPerMillion,
                PerRequest = entry.PerRequest, PerImage = entry.PerImage, ImagePrices = imagePrices, OutputTokensPerImage = entry.OutputTokensPerImage,
                PerAudioMinute = entry.PerAudioMinute,
                AudioInputPerSecond = entry.AudioInputPerSecond, AudioOutputPerSecond = entry.AudioOutputPerSecond,
                PerThousandCharacters = entry.PerThousandCharacters, HostedToolPrices = hostedToolPrices,
            }
            : null;
    }

    /// <summary>A map of prices by name, or null after reporting each name written without a price.</summary>
    private static Dictionary<string, decimal>? Prices(Dictionary<string, decimal?> written, string path, Action<string, string> problem)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var complete = true;
        foreach (var (name, price) in written)
        {
            if (price is null)
            {
                problem($"{path}.{name}", "is missing a price");
                complete = false;
            }
            else
            {
                prices[name] = price.Value;
            }
        }

        return complete ? prices : null;
    }
}
