using System.Globalization;
using Odock.Domain.Common;
using Odock.Domain.Models;

namespace Odock.Domain.Pricing;

/// <summary>
/// A model's prices over time. The price that applies to a usage is the entry in effect at the usage's instant, so a
/// price change never rewrites what was charged before it. One entry may omit its start: it applies since the
/// beginning. The earliest entry also covers any instant before its own start, so no usage is ever priced at nothing.
/// </summary>
public sealed record ModelPriceSchedule
{
    public static ModelPriceSchedule Free { get; } = new() { Entries = [ModelPricing.Free] };

    public required IReadOnlyList<ModelPricing> Entries { get; init; }

    /// <summary>The currency every entry charges in (validation refuses a schedule that mixes currencies).</summary>
    public string Currency => Entries.Count == 0 ? ModelPricing.Free.Currency : Entries[0].Currency;

    public bool IsFree => Entries.All(entry => entry.IsFree);

    /// <summary>A plain pricing object is a schedule of one entry; existing callers and stored rows keep working.</summary>
    public static implicit operator ModelPriceSchedule(ModelPricing single) => FromModelPricing(single);

    public static ModelPriceSchedule FromModelPricing(ModelPricing single)
    {
        ArgumentNullException.ThrowIfNull(single);
        return new ModelPriceSchedule { Entries = [single] };
    }

    /// <summary>The prices in effect at <paramref name="instant"/>.</summary>
    public ModelPricing At(DateTimeOffset instant)
    {
        if (Entries.Count == 0)
        {
            return ModelPricing.Free;
        }

        ModelPricing? inEffect = null;
        var earliest = Entries[0];
        foreach (var entry in Entries)
        {
            var start = StartOf(entry);
            if (start <= instant && (inEffect is null || start > StartOf(inEffect)))
            {
                inEffect = entry;
            }

            if (start < StartOf(earliest))
            {
                earliest = entry;
            }
        }

        return inEffect ?? earliest;
    }

    /// <summary>The cost of <paramref name="usage"/> at the prices in effect when it <paramref name="occurredAt"/>.</summary>
    public CostBreakdown Cost(TokenUsage usage, ModelType type, DateTimeOffset occurredAt) => PricingEngine.Cost(At(occurredAt), usage, type);

    /// <summary>The most <paramref name="estimate"/> can cost at the prices in effect at <paramref name="at"/>; what a reservation holds.</summary>
    public CostBreakdown WorstCase(TokenUsage estimate, ModelType type, DateTimeOffset at) => PricingEngine.WorstCase(At(at), estimate, type);

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        if (Entries.Count == 0)
        {
            return validator.Add("schedule", "needs at least one price entry").Problems;
        }

        if (Entries.Count == 1)
        {
            return Entries[0].Validate();
        }

        for (var i = 0; i < Entries.Count; i++)
        {
            var entry = Entries[i];
            validator.AddRange($"schedule[{i}]", entry.Validate());
            if (i > 0 && entry.Currency != Entries[0].Currency && Money.IsKnownCurrency(entry.Currency))
            {
                validator.Add($"schedule[{i}].currency", $"'{entry.Currency}' differs from the first entry's '{Entries[0].Currency}'; a model charges in one currency");
            }

            var clash = FirstWithSameStart(i);
            if (clash >= 0)
            {
                validator.Add($"schedule[{i}].effective_from", entry.EffectiveFrom is { } start
                    ? $"{start.ToString("O", CultureInfo.InvariantCulture)} is also the start of schedule[{clash}]; two prices cannot take effect at the same instant"
                    : $"is required: schedule[{clash}] already applies since the beginning");
            }
        }

        return validator.Problems;
    }

    public bool Equals(ModelPriceSchedule? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => HashCode.Combine(Entries.Count, Entries.Count == 0 ? 0 : Entries[0].GetHashCode());

    private int FirstWithSameStart(int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (Entries[j].EffectiveFrom == Entries[index].EffectiveFrom)
            {
                return j;
            }
        }

        return -1;
    }

    private static DateTimeOffset StartOf(ModelPricing entry) => entry.EffectiveFrom ?? DateTimeOffset.MinValue;
}
