namespace Odock.Admin.Invoices.Pdf;

/// <summary>
/// The standard PDF fonts every reader has built in, so nothing is embedded: Helvetica for text and Courier, whose
/// glyphs all share one width, for figures that must line up on the right.
/// </summary>
internal enum PdfFont
{
    Regular,
    Bold,
    Monospace,
}
