using System.Globalization;
using System.Reflection;
using Odock.Domain.Usage;

namespace Odock.Domain.Tests.Usage;

public sealed class UsageQuantitiesTests
{
    /// <summary>Every quantity the type has, found by reflection so that one added later is covered without touching these tests.</summary>
    internal static readonly PropertyInfo[] Parts = typeof(UsageQuantities).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [Fact]
    public void Adding_sums_every_quantity_with_the_same_quantity_of_the_other()
    {
        var left = Distinct(1);
        var right = Distinct(1_000);

        var sum = left + right;

        Assert.All(Parts, part => Assert.Equal(Part(part, left) + Part(part, right), Part(part, sum)));
    }

    [Fact]
    public void Zero_is_the_identity_of_adding_and_holds_nothing()
    {
        var some = Distinct(7);

        Assert.Equal(some, some + UsageQuantities.Zero);
        Assert.Equal(some, UsageQuantities.Zero + some);
        Assert.All(Parts, part => Assert.Equal(0m, Part(part, UsageQuantities.Zero)));
    }

    [Fact]
    public void Sum_adds_every_value_and_is_zero_for_none()
    {
        Assert.Equal(Distinct(1) + Distinct(10) + Distinct(100), UsageQuantities.Sum([Distinct(1), Distinct(10), Distinct(100)]));
        Assert.Equal(UsageQuantities.Zero, UsageQuantities.Sum([]));
    }

    [Fact]
    public void Costs_and_seconds_add_as_exact_decimals_keeping_their_scale()
    {
        var call = new UsageQuantities { Calls = 1, AudioSeconds = 0.1m, Cost = 0.0000001m };

        var sum = UsageQuantities.Sum(Enumerable.Repeat(call, 10));

        Assert.Equal((10L, "1.0", "0.0000010"), (sum.Calls, sum.AudioSeconds.ToString(CultureInfo.InvariantCulture), sum.Cost.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Quantities whose parts are all different and non-zero (the n-th is n × <paramref name="scale"/>), so that a part
    /// left out of a sum, or taken from another part, gives a different number.
    /// </summary>
    internal static UsageQuantities Distinct(int scale)
    {
        object quantities = UsageQuantities.Zero;
        for (var i = 0; i < Parts.Length; i++)
        {
            Parts[i].SetValue(quantities, Convert.ChangeType((i + 1) * scale, Parts[i].PropertyType, CultureInfo.InvariantCulture));
        }

        return (UsageQuantities)quantities;
    }

    internal static decimal Part(PropertyInfo part, object value) => Convert.ToDecimal(part.GetValue(value), CultureInfo.InvariantCulture);
}
