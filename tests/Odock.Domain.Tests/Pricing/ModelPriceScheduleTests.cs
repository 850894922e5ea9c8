using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;

namespace Odock.Domain.Tests.Pricing;

public sealed class ModelPriceScheduleTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset January = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ModelPriceSchedule Schedule = new()
    {
        Entries =
        [
            new ModelPricing { Currency = "USD", EffectiveFrom = January, InputPerMillion = 3m },
            new ModelPricing { Currency = "USD", InputPerMillion = 1m },
            new ModelPricing { Currency = "USD", EffectiveFrom = December, InputPerMillion = 2m },
        ],
    };

    [Fact]
    public void The_price_in_effect_changes_exactly_at_each_effective_from_instant()
    {
        Assert.Equal(1m, Schedule.At(December.AddTicks(-1)).InputPerMillion);
        Assert.Equal(2m, Schedule.At(December).InputPerMillion);
        Assert.Equal(2m, Schedule.At(January.AddTicks(-1)).InputPerMillion);
        Assert.Equal(3m, Schedule.At(January).InputPerMillion);
        Assert.Equal(1m, Schedule.At(DateTimeOffset.MinValue).InputPerMillion);
    }

    [Fact]
    public void A_usage_is_charged_at_the_price_of_its_own_instant_so_a_later_change_does_not_rewrite_it()
    {
        var usage = new TokenUsage { InputTokens = 1_000_000 };

        Assert.Equal(1m, Schedule.Cost(usage, ModelType.Chat, December.AddMinutes(-1)).Total);
        Assert.Equal(2m, Schedule.Cost(usage, ModelType.Chat, December.AddMinutes(1)).Total);
        Assert.Equal(3m, Schedule.WorstCase(usage, ModelType.Chat, January).Total);
    }

    [Fact]
    public void Offsets_are_compared_as_instants()
    {
        var decemberInParis = new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(2m, Schedule.At(decemberInParis).InputPerMillion);
    }

    [Fact]
    public void The_earliest_dated_entry_covers_instants_before_it()
    {
        var dated = new ModelPriceSchedule { Entries = [new ModelPricing { Currency = "USD", EffectiveFrom = December, InputPerMillion = 2m }] };

        Assert.Equal(2m, dated.At(December.AddYears(-1)).InputPerMillion);
    }

    [Fact]
    public void A_plain_pricing_object_is_a_schedule_of_one_entry()
    {
        ModelPriceSchedule schedule = new ModelPricing { Currency = "EUR", OutputPerMillion = 4m };

        Assert.Equal("EUR", schedule.Currency);
        Assert.Equal(0.004m, schedule.Cost(new TokenUsage { OutputTokens = 1_000 }, ModelType.Chat, December).Total);
        Assert.Equal(schedule, ModelPriceSchedule.FromModelPricing(new ModelPricing { Currency = "EUR", OutputPerMillion = 4m }));
    }

    [Fact]
    public void Schedules_with_the_same_entries_are_equal()
    {
        var copy = Schedule with { Entries = [.. Schedule.Entries.Select(e => e with { })] };

        Assert.Equal(Schedule, copy);
        Assert.NotEqual(Schedule, copy with { Entries = [.. copy.Entries.Take(2)] });
    }

    [Fact]
    public void Two_entries_starting_at_the_same_instant_are_refused_naming_the_second()
    {
        var problems = new ModelPriceSchedule
        {
            Entries = [new ModelPricing { Currency = "USD" }, Entry(December), Entry(December.ToOffset(TimeSpan.FromHours(2)))],
        }.Validate();

        var problem = Assert.Single(problems);
        Assert.Equal("schedule[2].effective_from", problem.Field);
        Assert.Equal("2026-12-01T02:00:00.0000000+02:00 is also the start of schedule[1]; two prices cannot take effect at the same instant", problem.Message);
    }

    [Fact]
    public void Only_one_entry_may_apply_since_the_beginning()
    {
        var problems = new ModelPriceSchedule { Entries = [new ModelPricing { Currency = "USD" }, new ModelPricing { Currency = "USD" }] }.Validate();

        var problem = Assert.Single(problems);
        Assert.Equal("schedule[1].effective_from", problem.Field);
        Assert.Equal("is required: schedule[0] already applies since the beginning", problem.Message);
    }

    [Fact]
    public void Entries_in_another_currency_unknown_currencies_and_negative_prices_are_refused_by_field()
    {
        var problems = new ModelPriceSchedule
        {
            Entries =
            [
                new ModelPricing { Currency = "USD" },
                Entry(December) with { Currency = "EUR" },
                Entry(January) with { Currency = "usd", OutputPerMillion = -1m },
            ],
        }.Validate();

        Assert.Equal(["schedule[1].currency", "schedule[2].currency", "schedule[2].output_per_million"], problems.Select(p => p.Field));
        Assert.Equal("'EUR' differs from the first entry's 'USD'; a model charges in one currency", problems[0].Message);
        Assert.Equal("'usd' is not an ISO 4217 currency code (for example USD, EUR, GBP)", problems[1].Message);
        Assert.Equal("must not be negative", problems[2].Message);
    }

    [Fact]
    public void An_empty_schedule_is_refused()
    {
        var problem = Assert.Single(new ModelPriceSchedule { Entries = [] }.Validate());

        Assert.Equal("schedule", problem.Field);
        Assert.Equal("needs at least one price entry", problem.Message);
    }

    [Fact]
    public void A_single_entry_reports_problems_under_the_plain_field_names()
    {
        var pricing = new ModelPricing
        {
            Currency = "XXX", PerAudioMinute = 0.006m, AudioInputPerSecond = 0.0001m, PerThousandCharacters = -0.015m,
            ImagePrices = new Dictionary<string, decimal> { ["huge"] = 1m, ["1024x1024/hd"] = -0.08m },
        };

        var problems = ModelPriceSchedule.FromModelPricing(pricing).Validate();

        Assert.Equal(
            ["currency", "per_thousand_characters", "audio_input_per_second", "image_prices.huge", "image_prices.1024x1024/hd"],
            problems.Select(p => p.Field));
        Assert.Equal("set either per_audio_minute or audio_input_per_second, not both", problems[2].Message);
        Assert.StartsWith("must be a size ('1024x1024' or 'auto')", problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_names_schedule_problems_under_pricing()
    {
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "gpt", UpstreamSlug = "gpt", ProviderId = Guid.NewGuid(),
            Pricing = new ModelPriceSchedule { Entries = [new ModelPricing { Currency = "USD" }, new ModelPricing { Currency = "USD" }] },
            Policies = ResourcePolicy.None, CreatedAt = December,
        };

        Assert.Equal(["pricing.schedule[1].effective_from"], model.Validate().Select(p => p.Field));
    }

    private static ModelPricing Entry(DateTimeOffset from) => new() { Currency = "USD", EffectiveFrom = from, InputPerMillion = 1m };
}
