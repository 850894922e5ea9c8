using System.Globalization;
using System.Reflection;
using Odock.Domain.Invoices;
using Odock.Domain.Tests.Usage;
using Odock.Domain.Usage;

namespace Odock.Domain.Tests.Invoices;

public sealed class InvoiceQuantitiesTests
{
    [Fact]
    public void Every_quantity_reads_on_an_invoice_line_under_its_invoice_name()
    {
        var quantities = UsageQuantitiesTests.Distinct(1);

        var line = Line() with { Quantities = quantities };

        Assert.All(UsageQuantitiesTests.Parts, part => Assert.Equal(UsageQuantitiesTests.Part(part, quantities), UsageQuantitiesTests.Part(Shown(part), line)));
    }

    [Fact]
    public void Setting_a_quantity_by_its_invoice_name_sets_that_quantity_alone()
    {
        Assert.All(UsageQuantitiesTests.Parts, part =>
        {
            var line = Line();
            Shown(part).SetValue(line, Convert.ChangeType(5, part.PropertyType, CultureInfo.InvariantCulture));

            Assert.All(UsageQuantitiesTests.Parts, other => Assert.Equal(other == part ? 5m : 0m, UsageQuantitiesTests.Part(other, line.Quantities)));
        });
    }

    private static InvoiceLine Line() => new() { Kind = InvoiceLineKind.Model, Subject = "m", Currency = "USD" };

    // Invoices call the summed cost the amount; every other quantity keeps its name.
    private static PropertyInfo Shown(PropertyInfo part)
    {
        var name = part.Name == nameof(UsageQuantities.Cost) ? nameof(InvoiceLine.Amount) : part.Name;
        return typeof(InvoiceLine).GetProperty(name) ?? throw new InvalidOperationException($"An invoice line does not show {name}.");
    }
}
