using System.Collections.Frozen;
using System.Globalization;

namespace Odock.Domain.Common;

/// <summary>An amount in one ISO 4217 currency. Arithmetic across currencies is refused rather than guessed.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    private static readonly FrozenSet<string> KnownCurrencies = (
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF " +
        "CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
        "HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA " +
        "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD " +
        "RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX " +
        "USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL")
        .Split(' ').ToFrozenSet(StringComparer.Ordinal);

    public static Money Zero(string currency) => new(0m, currency);

    /// <summary>True for an active ISO 4217 code written in upper case (<c>USD</c>, <c>EUR</c>).</summary>
    public static bool IsKnownCurrency(string? code) => code is { Length: 3 } && KnownCurrencies.Contains(code);

    public static void ValidateCurrency(Validator validator, string field, string? code)
    {
        ArgumentNullException.ThrowIfNull(validator);
        if (string.IsNullOrWhiteSpace(code))
        {
            validator.Add(field, "is required");
        }
        else if (!IsKnownCurrency(code))
        {
            validator.Add(field, $"'{code}' is not an ISO 4217 currency code (for example USD, EUR, GBP)");
        }
    }

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, SameCurrency(left, right));

    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, SameCurrency(left, right));

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount} {Currency}");

    private static string SameCurrency(Money left, Money right) => left.Currency == right.Currency
        ? left.Currency
        : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
