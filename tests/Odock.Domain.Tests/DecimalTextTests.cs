using System.Globalization;
using System.Text;
using Odock.Domain.Common;

namespace Odock.Domain.Tests;

public sealed class DecimalTextTests
{
    private const string NoZeros = "0.############################";
    private const string OneFractionDigit = "0.0###########################";

    public static TheoryData<decimal> Amounts => new()
    {
        0m, 0.000m, new decimal(0, 0, 0, isNegative: true, scale: 3), 1m, 12m, 12.500m, 100m, 100.00m, -0.0180m, 0.018000m,
        0.0000000000000000000000000001m, 0.1000000000000000000000000001m, 1.0000000000000000000000000000m,
        decimal.MaxValue, decimal.MinValue, 123456789.987654321000m, -5m, 0.5m, 10.01m, 1000000m,
    };

    [Theory]
    [MemberData(nameof(Amounts))]
    public void Spells_every_amount_as_the_custom_formats_do(decimal amount)
    {
        Assert.Equal(amount.ToString(NoZeros, CultureInfo.InvariantCulture), Spell(amount, keepOneFractionDigit: false));
        Assert.Equal(amount.ToString(OneFractionDigit, CultureInfo.InvariantCulture), Spell(amount, keepOneFractionDigit: true));
        Assert.Equal(amount.ToString(NoZeros, CultureInfo.InvariantCulture), DecimalText.ToString(amount));
        Assert.Equal(amount.ToString(OneFractionDigit, CultureInfo.InvariantCulture), DecimalText.ToString(amount, keepOneFractionDigit: true));
    }

    [Fact]
    public void Agrees_with_the_custom_formats_on_many_amounts_of_every_scale()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 20_000; i++)
        {
            var amount = new decimal(random.Next(), random.Next(), random.Next(0, 100), random.Next(2) == 0, (byte)random.Next(0, 29));
            Assert.Equal(amount.ToString(NoZeros, CultureInfo.InvariantCulture), Spell(amount, keepOneFractionDigit: false));
            Assert.Equal(amount.ToString(OneFractionDigit, CultureInfo.InvariantCulture), Spell(amount, keepOneFractionDigit: true));
        }
    }

    [Fact]
    public void A_destination_too_small_is_refused_not_overrun()
    {
        Span<byte> small = stackalloc byte[3];
        Assert.False(DecimalText.TryFormat(12345m, small, out _));
        Assert.False(DecimalText.TryFormat(123m, small, out var written, keepOneFractionDigit: true));
        Assert.Equal(0, written);
        Assert.True(DecimalText.TryFormat(12m, small, out written));
        Assert.Equal("12", Encoding.ASCII.GetString(small[..written]));
    }

    private static string Spell(decimal amount, bool keepOneFractionDigit)
    {
        Span<byte> text = stackalloc byte[64];
        Assert.True(DecimalText.TryFormat(amount, text, out var written, keepOneFractionDigit));
        return Encoding.ASCII.GetString(text[..written]);
    }
}
