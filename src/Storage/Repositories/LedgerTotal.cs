namespace Odock.Storage.Repositories;

/// <summary>
/// What the usage ledger holds for one scope in one period window: money per currency, requests that were served
/// (HTTP status below 400), and tokens (input plus output) of those. <see cref="Watermark"/> names the moment the sum
/// was taken, for <see cref="IUsageRepository.IsCountedAsync"/>.
/// </summary>
public sealed record LedgerTotal(IReadOnlyDictionary<string, decimal> CostByCurrency, long ServedRequests, long Tokens, string Watermark)
{
    public decimal CostIn(string currency) => CostByCurrency.TryGetValue(currency, out var cost) ? cost : 0m;
}
