using BenchmarkDotNet.Attributes;
using Odock.Grains.Budgets;

namespace Odock.Bench.Budgets;

/// <summary>
/// One request's work on a budget's book (reserve the worst case, then settle the actual amount) while
/// <see cref="InFlight"/> other reservations are open: 16 is the gateway harness at 16 connections, 1,000 an
/// organisation's budget under a thousand long streams at once. Ids are the gateway's (36 characters), and each
/// reservation lives ten minutes, so none expires during the run.
/// </summary>
[MemoryDiagnoser]
public class ReservationBookBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private ReservationBook _book = null!;
    private string[] _ids = null!;
    private int _next;

    [Params(16, 1000)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _book = new ReservationBook(limit: 1_000_000_000m);
        for (var i = 0; i < InFlight; i++)
        {
            _book.Reserve($"req_held_{i:D27}", 0.01m, Now, Now.AddMinutes(10));
        }

        // More ids than the book remembers completions for, so the run measures a full book, as in production.
        _ids = Enumerable.Range(0, 8192).Select(i => $"req_{Guid.CreateVersion7():N}").ToArray();
    }

    [Benchmark]
    public ReservationResult ReserveThenSettle()
    {
        var id = _ids[_next++ & (_ids.Length - 1)];
        _book.Reserve(id, 0.05m, Now, Now.AddMinutes(10));
        return _book.Settle(id, 0.0123m);
    }
}
