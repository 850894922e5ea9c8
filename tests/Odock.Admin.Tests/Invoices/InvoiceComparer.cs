using Odock.Domain.Invoices;

namespace Odock.Admin.Tests.Invoices;

/// <summary>Invoices compared field by field, lines by value (a record compares its line list by reference).</summary>
internal sealed class InvoiceComparer : IEqualityComparer<Invoice?>
{
    private static readonly InvoiceLine[] NoLines = [];

    public static InvoiceComparer Instance { get; } = new();

    public bool Equals(Invoice? x, Invoice? y) =>
        x is not null && y is not null && x with { Lines = NoLines } == y with { Lines = NoLines } && x.Lines.SequenceEqual(y.Lines);

    public int GetHashCode(Invoice? obj) => obj?.Id.GetHashCode() ?? 0;
}
