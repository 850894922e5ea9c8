using BenchmarkDotNet.Attributes;
using Odock.Grains.Budgets;

namespace Odock.Bench.Budgets;

/// <summary>
/// One request's work on a budget's book (reserve the worst case, then settle the actual amount) while
/// <see cref="InFlight"/> other reservations are open: 16 is the gateway harness at 16 connections, 1,000 an
/// organisation's budget under a thousand long streams at once. Ids are the gateway's (36 characters), and each
/// reservation lives ten minutes, so none expires during the run. With <see cref="Books"/> at 64 each operation goes
/// to the next of 64 full books in turn, whose remembered completions (several MB in all) no cache holds: the state a
/// request finds a book in at the gateway, where its other work evicts the books between calls.
/// </summary>
[MemoryDiagnoser]
public class ReservationBookBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private ReservationBook[] _books = null!;
    private string[] _ids = null!;
    private int _next;

    [Params(16, 1000)]
    public int InFlight { get; set; }

    [Params(1, 64)]
    public int Books { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // More ids than a book remembers completions for, so the run measures full books, as in production.
        _ids = Enumerable.Range(0, 8192).Select(i => $"req_{Guid.CreateVersion7():N}").ToArray();
        _books = new ReservationBook[Books];
        for (var b = 0; b < Books; b++)
        {
            var book = _books[b] = new ReservationBook(limit: 1_000_000_000m);
            for (var i = 0; i < InFlight; i++)
            {
                book.Reserve($"req_held_{i:D27}", 0.01m, Now, Now.AddMinutes(10));
            }

            foreach (var id in _ids)
            {
                book.Reserve(id, 0.05m, Now, Now.AddMinutes(10));
                book.Settle(id, 0.0123m);
            }
        }
    }

    [Benchmark]
    public ReservationResult ReserveThenSettle()
    {
        var next = _next++;
        var book = _books[next % _books.Length];
        // Each book sees the ids in turn, so an id comes back to a book only after it has forgotten it.
        var id = _ids[(next / _books.Length) & (_ids.Length - 1)];
        book.Reserve(id, 0.05m, Now, Now.AddMinutes(10));
        return book.Settle(id, 0.0123m);
    }
}
